import { App, Chart } from 'cdk8s';
import { EgressGateway, MeshEgress, TrafficApi } from '../../src';

/**
 * Egress control: one host passed through an egress gateway as TLS, one where the
 * egress gateway originates TLS, and one where the sidecar originates TLS, rendered to
 * `api` (examples/egress-gateway-api renders it with Gateway API).
 */
export function build(app: App, api: TrafficApi = TrafficApi.istio()): void {
  TrafficApi.use(app, api);
  const chart = new Chart(app, 'egress', { namespace: 'istio-egress' });
  const egressGateway = new EgressGateway(chart, 'EgressGateway', { namespace: 'istio-egress' });
  const egress = new MeshEgress(chart, 'external', { egressGateway });
  egress.addExternalHost({ host: 'edition.cnn.com' });
  egress.addExternalHost({ host: 'httpbin.org', originateTls: true });

  const direct = new MeshEgress(chart, 'direct');
  direct.addExternalHost({ host: 'api.github.com', originateTls: true });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
