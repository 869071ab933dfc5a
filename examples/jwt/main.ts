import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { JwtProtectedService, WorkloadSelector } from '../../src';

/** Istio's JWT task: httpbin accepts only valid tokens whose `groups` claim contains group1; /healthz stays public. */
export function build(app: App): void {
  const chart = new Chart(app, 'jwt', { namespace: 'foo' });
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: 'foo', labels: { 'istio-injection': 'enabled' } } });
  const labels = { app: 'httpbin', version: 'v1' };
  const httpbin = new kplus.Deployment(chart, 'httpbin', {
    metadata: { name: 'httpbin' },
    select: false,
    podMetadata: { labels },
    containers: [{ name: 'httpbin', image: 'docker.io/mccutchen/go-httpbin:v2.15.0', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 1000, group: 1000 } }],
  });
  httpbin.select(kplus.LabelSelector.of({ labels }));
  new kplus.Service(chart, 'httpbin-svc', {
    metadata: { name: 'httpbin' },
    selector: kplus.Pods.select(chart, 'httpbin-pods', { labels: { app: 'httpbin' } }),
    ports: [{ port: 8000, targetPort: 8080, name: 'http' }],
  });
  new JwtProtectedService(chart, 'httpbin-jwt', {
    name: 'httpbin',
    selector: WorkloadSelector.fromWorkload(httpbin),
    issuers: [{
      issuer: 'testing@secure.istio.io',
      jwksUri: 'https://raw.githubusercontent.com/istio/istio/release-1.30/security/tools/jwt/samples/jwks.json',
      outputClaimToHeaders: [{ header: 'x-jwt-groups', claim: 'groups' }],
    }],
    requiredClaims: { groups: ['group1'] },
    publicPaths: ['/healthz'],
    ports: [8080], // httpbin's HTTP port; without ports every port requires a token
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
