import { App, Chart, Duration } from 'cdk8s';
import { DestinationRule, IstioVersion, StringMatch, VirtualService } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Fields Istio 1.31 added, for a mesh whose istiod runs 1.31 (installed by another
 * repository): zone-aware load balancing for Bookinfo's reviews, and a redirect that moves
 * an old path prefix of productpage to the new one, keeping the rest of the path.
 */
export function build(app: App): void {
  IstioVersion.declare(app, '1.31.4');
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  addBookinfo(chart, 'bookinfo');
  const reviews = 'reviews.bookinfo.svc.cluster.local';
  new DestinationRule(chart, 'reviews', {
    metadata: { name: 'reviews' },
    host: reviews,
    trafficPolicy: {
      // Callers prefer reviews in their own zone, then region; us-east1 fails over to us-west1 only.
      loadBalancer: { zoneAwareLbSetting: { enabled: true, failover: [{ from: 'us-east1', to: 'us-west1' }] } },
      outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) },
    },
  });
  const productpage = 'productpage.bookinfo.svc.cluster.local';
  new VirtualService(chart, 'productpage', {
    metadata: { name: 'productpage' },
    hosts: [productpage],
    http: [
      { name: 'old-api', match: [{ uri: StringMatch.prefix('/api/v0/') }], redirect: { prefixRewrite: '/api/v1/' } },
      { name: 'default', route: [{ destination: { host: productpage } }] },
    ],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
