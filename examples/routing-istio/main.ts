import { App } from 'cdk8s';
import { TrafficApi } from '../../src';
import { buildRouting } from '../bookinfo-routing';

/** Bookinfo's routing with Istio's classic API (VirtualService, DestinationRule subsets, Istio Gateway). */
export function build(app: App): void {
  buildRouting(app, TrafficApi.istio());
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
