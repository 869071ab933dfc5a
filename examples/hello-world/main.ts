import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IngressGateway, MeshIngress, ServiceReference } from '../../src';

/** A 3-replica hello-world Deployment (port 8080) in an injected namespace, reachable through an ingress gateway. */
export function build(app: App): void {
  const chart = new Chart(app, 'hello', { namespace: 'hello' });
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: 'hello', labels: { 'istio-injection': 'enabled' } } });
  const labels = { app: 'hello', version: 'v1' };
  const deployment = new kplus.Deployment(chart, 'Deployment', {
    metadata: { name: 'hello' },
    replicas: 3,
    select: false,
    podMetadata: { labels },
    containers: [{ name: 'hello', image: 'gcr.io/google-samples/hello-app:2.0', ports: [{ number: 8080, name: 'http' }], securityContext: { user: 1000, group: 1000 } }],
  });
  deployment.select(kplus.LabelSelector.of({ labels }));
  const service = new kplus.Service(chart, 'Service', {
    metadata: { name: 'hello' },
    selector: kplus.Pods.select(chart, 'Pods', { labels: { app: 'hello' } }),
    ports: [{ port: 8080, targetPort: 8080, name: 'http' }],
  });

  const gateway = new IngressGateway(chart, 'IngressGateway', { namespace: 'hello' });
  const ingress = new MeshIngress(chart, 'hello-ingress', { gateway });
  // Plain HTTP is an explicit opt-out: production hosts should set credentialName instead.
  ingress.addHost('hello.example.com', { httpOnly: true }).addRoute({ service: ServiceReference.fromService(service) });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
