import { App, Chart } from 'cdk8s';
import { DestinationRule, FaultInjection, MeshService, ServiceReference, StringMatch } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/** Istio's fault-injection task: an HTTP 500 abort on ratings v1 for user jason, everyone else unaffected. */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  const ratings = new DestinationRule(chart, 'ratings-subsets', {
    metadata: { name: 'ratings' },
    host: 'ratings.bookinfo.svc.cluster.local',
    subsets: [{ name: 'v1', labels: { version: 'v1' } }],
  });
  // The user's own rule for the host (as in Istio's task) is adopted: intents add to it, none emits a second.
  const service = ServiceReference.fromService(bookinfo.services.ratings);
  new MeshService(chart, 'ratings', { service, destinationRule: ratings });
  new FaultInjection(chart, 'ratings-fault', {
    service,
    subset: 'v1',
    headers: { 'end-user': StringMatch.exact('jason') },
    abortStatus: 500,
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
