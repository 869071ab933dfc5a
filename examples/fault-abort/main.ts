import { App, Chart } from 'cdk8s';
import { DestinationRule, FaultInjection, StringMatch } from '../../src';
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
  const fault = new FaultInjection(chart, 'ratings-fault', {
    service: bookinfo.services.ratings,
    subset: 'v1',
    headers: { 'end-user': StringMatch.exact('jason') },
    abortStatus: 500,
  });
  fault.virtualService.addDependency(ratings);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
