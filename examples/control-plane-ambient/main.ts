import { App, Chart } from 'cdk8s';
import { IstioControlPlane, IstioProfile } from '../../src';

/** Ambient mode: istiod, istio-cni and ztunnel as Argo CD Applications; a namespace enrolled with no sidecars. */
export function build(app: App): void {
  const chart = new Chart(app, 'istio-ambient');
  const istio = new IstioControlPlane(chart, 'istio', { profile: IstioProfile.AMBIENT });
  istio.enrolNamespaceNamed('shop');
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
