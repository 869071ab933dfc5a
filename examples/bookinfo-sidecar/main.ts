import { App } from 'cdk8s';
import { DataPlaneMode } from '../../src';
import { buildBookinfoMesh } from '../bookinfo-mesh';

/** Bookinfo with a canary, a JWT, a denied path and zero trust, with sidecars. */
export function build(app: App): void {
  buildBookinfoMesh(app, DataPlaneMode.SIDECAR);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
