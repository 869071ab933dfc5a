import { App } from 'cdk8s';
import { DataPlaneMode } from '../../src';
import { buildBookinfoMesh } from '../bookinfo-mesh';

/** Bookinfo with a canary, a JWT, a denied path and zero trust, in ambient mode: ztunnel and a waypoint. */
export function build(app: App): void {
  buildBookinfoMesh(app, DataPlaneMode.AMBIENT);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
