import { App, Chart } from 'cdk8s';
import { EgressGateway, MeshEgress } from '../../src';

/** Egress control: external hosts registered, one through an egress gateway, one with TLS origination. */
export function build(app: App): void {
  const chart = new Chart(app, 'egress', { namespace: 'istio-egress' });
  const egressGateway = new EgressGateway(chart, 'EgressGateway', { namespace: 'istio-egress' });
  const egress = new MeshEgress(chart, 'external', { egressGateway });
  egress.addExternalHost({ host: 'edition.cnn.com' });

  const direct = new MeshEgress(chart, 'direct');
  direct.addExternalHost({ host: 'api.github.com', originateTls: true });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
