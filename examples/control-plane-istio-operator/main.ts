import { App, Chart } from 'cdk8s';
import { ControlPlaneDelivery, IstioControlPlane } from '../../src';

/**
 * The control plane as one IstioOperator for `istioctl install -f`: a
 * revisioned istiod with two replicas; one namespace enrolled with the revision.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'istio-control-plane');
  const istio = new IstioControlPlane(chart, 'istio', {
    revision: '1-31-4',
    istiod: { replicas: 2 },
    delivery: ControlPlaneDelivery.istioOperator(),
  });
  istio.enrolNamespaceNamed('shop');
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
