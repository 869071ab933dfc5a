import { App } from 'cdk8s';
import { GatewayApiChannel, TrafficApi } from '../../src';
import { buildRouting } from '../bookinfo-routing';

/** The same program with Gateway API (Gateway, HTTPRoutes, per-version Services), standard channel. */
export function build(app: App): void {
  buildRouting(app, TrafficApi.gatewayApi({ version: '1.5.1', channel: GatewayApiChannel.STANDARD }));
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
