import { App, Chart, Duration } from 'cdk8s';
import { CanaryAlerts, CanaryRelease, CanaryVersion, ServiceReference } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * A staged canary rollout of reviews v3: each commit moves `currentStep`
 * (5 → 25 → 50 → 100); `phase: CanaryPhase.PROMOTED` or `ROLLED_BACK` ends it.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  const release = new CanaryRelease(chart, 'reviews', {
    service: ServiceReference.fromService(bookinfo.services.reviews),
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v3']),
    steps: [5, 25, 50, 100],
    currentStep: 1,
    stickyCookie: 'reviews-canary',
    mirrorPercentage: 10,
    timeout: Duration.seconds(5),
    retries: { attempts: 2, perTryTimeout: Duration.seconds(2) },
    trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) } },
  });
  // Alerts while v3 rolls out: its success rate or p99 latency falling behind v1's.
  new CanaryAlerts(chart, 'reviews-alerts', { release, maxSuccessRateDrop: 2, maxLatencyRatio: 1.3 });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
