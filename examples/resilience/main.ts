import { App, Chart, Duration } from 'cdk8s';
import { ServiceReference, ServiceResilience, ZeroTrustNamespace, WorkloadSelector } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Timeouts, retries and circuit breaking for Bookinfo's ratings, in a namespace with
 * STRICT mTLS where a health checker outside the mesh may still reach ratings' port in plain text.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  new ServiceResilience(chart, 'ratings-resilience', {
    service: ServiceReference.fromService(bookinfo.services.ratings),
    timeout: Duration.millis(500),
    retries: { attempts: 3, perTryTimeout: Duration.millis(150), retryOn: ['5xx', 'reset'] },
    circuitBreaker: { maxConnections: 50, maxPendingRequests: 10, consecutive5xxErrors: 3, baseEjectionTime: Duration.minutes(1) },
  });
  const zeroTrust = new ZeroTrustNamespace(chart, 'zero-trust');
  const ratings = WorkloadSelector.fromWorkload(bookinfo.deployments['ratings-v1']);
  zeroTrust.allow('reviews-to-ratings', { to: ratings, fromNamespaces: ['bookinfo'], methods: ['GET'] });
  zeroTrust.permitPlaintext('ratings-health-checks', { selector: ratings, ports: [9080] });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
