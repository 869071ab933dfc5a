import { App, Chart } from 'cdk8s';
import { CanaryRelease, CanaryVersion, ServiceReference } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/** Istio's traffic-shifting task: 50% of reviews traffic to v1, 50% to v3. */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  new CanaryRelease(chart, 'reviews', {
    service: ServiceReference.fromService(bookinfo.services.reviews),
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v3']),
    canaryWeight: 50,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
