import { App, Chart } from 'cdk8s';
import { ControlPlaneDelivery, IstioControlPlane } from '../../src';

/**
 * The control plane as Flux objects: a HelmRepository for Istio's charts and a
 * HelmRelease per chart (base, then istiod), with the same typed values as the
 * Argo CD delivery; one namespace enrolled.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'istio-control-plane');
  const istio = new IstioControlPlane(chart, 'istio', {
    istiod: { replicas: 2 },
    meshConfig: { accessLogFile: '/dev/stdout' },
    delivery: ControlPlaneDelivery.flux(),
  });
  istio.enrolNamespaceNamed('shop');
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
