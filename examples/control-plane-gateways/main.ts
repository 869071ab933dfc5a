import { App, Chart } from 'cdk8s';
import { EgressGateway, IngressGateway, IstioControlPlane } from '../../src';

/**
 * Ingress and egress gateways next to the control plane, each in its own enrolled
 * namespace, injected by the same revision (native Deployments, not chart releases).
 */
export function build(app: App): void {
  const chart = new Chart(app, 'istio-gateways');
  const istio = new IstioControlPlane(chart, 'istio', { revision: '1-31-4' });
  istio.enrolNamespaceNamed('istio-ingress');
  istio.enrolNamespaceNamed('istio-egress');
  new IngressGateway(chart, 'ingress', { namespace: 'istio-ingress', revision: istio.revision, replicas: 2 });
  new EgressGateway(chart, 'egress', { namespace: 'istio-egress', revision: istio.revision });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
