import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  IngressGateway, MeshIngress, RateLimit, RateLimitClient, RateLimitService, RateLimitUnit, ServiceReference, WorkloadSelector,
} from '../../src';

/**
 * A rate-limited public API: the ingress gateway keeps a token bucket per replica for
 * api.example.com (tighter ones for /auth and, within it, /auth/login), and the API's sidecar asks Envoy's global rate
 * limit service for a quota per API key and a shared limit on /search.
 */
export function build(app: App): void {
  const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
  const ingressGateway = new IngressGateway(gateways, 'ingress', { namespace: 'istio-ingress' });

  const limits = new Chart(app, 'ratelimit', { namespace: 'ratelimit' });
  new kplus.Namespace(limits, 'Namespace', { metadata: { name: 'ratelimit', labels: { 'istio-injection': 'enabled' } } });
  const service = new RateLimitService(limits, 'ratelimit');

  const chart = new Chart(app, 'api', { namespace: 'api' });
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: 'api', labels: { 'istio-injection': 'enabled' } } });
  const labels = { app: 'api', version: 'v1' };
  const api = new kplus.Deployment(chart, 'api', {
    metadata: { name: 'api' },
    select: false,
    podMetadata: { labels },
    containers: [{ name: 'api', image: 'docker.io/mccutchen/go-httpbin:v2.15.0', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 1000, group: 1000 } }],
  });
  api.select(kplus.LabelSelector.of({ labels }));
  const apiService = new kplus.Service(chart, 'api-svc', {
    metadata: { name: 'api' },
    selector: kplus.Pods.select(chart, 'api-pods', { labels: { app: 'api' } }),
    ports: [{ port: 8000, targetPort: 8080, name: 'http' }],
  });

  const host = new MeshIngress(chart, 'public', { gateway: ingressGateway })
    .addHost('api.example.com', { credentialName: 'api-cert' });
  host.addRoute({ service: ServiceReference.fromService(apiService) });

  new RateLimit(chart, 'edge', {
    ingressHosts: [host],
    localLimits: {
      maxTokens: 50,
      fillInterval: Duration.seconds(1),
      // Nested: a login takes a token from both buckets.
      routes: [
        { name: 'auth', pathPrefix: '/auth', maxTokens: 20, fillInterval: Duration.minutes(1) },
        { name: 'login', pathPrefix: '/auth/login', maxTokens: 5, fillInterval: Duration.minutes(1) },
      ],
    },
  });
  new RateLimit(chart, 'quota', {
    workload: WorkloadSelector.fromWorkload(api),
    globalLimits: {
      service,
      limits: [
        { name: 'per-key', requestsPerUnit: 1000, unit: RateLimitUnit.HOUR, perClient: RateLimitClient.header('x-api-key') },
        { name: 'search', pathPrefix: '/search', requestsPerUnit: 100, unit: RateLimitUnit.MINUTE },
      ],
    },
  });
  chart.addDependency(gateways, limits);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
