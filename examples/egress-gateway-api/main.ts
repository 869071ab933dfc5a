import { App } from 'cdk8s';
import { TrafficApi } from '../../src';
import { build as buildEgress } from '../egress/main';

/** examples/egress with Gateway API: TLSRoutes and HTTPRoutes whose parents are the hosts' ServiceEntries and the egress Gateway. */
export function build(app: App): void {
  buildEgress(app, TrafficApi.gatewayApi());
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
