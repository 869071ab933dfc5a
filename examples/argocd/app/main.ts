import { App, Chart } from 'cdk8s';
// Resolved from the installed package in the GitOps repo, not from this source tree.
// eslint-disable-next-line import/no-unresolved
import { CanaryRelease, CanaryVersion, ServiceReference } from 'cdk8s-istio';
import * as kplus from 'cdk8s-plus-28';

// The app Argo CD renders: reviews v1 with a 10% canary on v2.
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const reviews = (version: string) => {
  const labels = { app: 'reviews', version };
  const d = new kplus.Deployment(chart, `reviews-${version}`, {
    metadata: { name: `reviews-${version}` },
    select: false,
    podMetadata: { labels },
    containers: [{ image: `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.3`, portNumber: 9080, securityContext: { user: 1000 } }],
  });
  d.select(kplus.LabelSelector.of({ labels }));
  return d;
};
const stable = reviews('v1');
const canary = reviews('v2');
const service = new kplus.Service(chart, 'reviews', {
  metadata: { name: 'reviews' },
  selector: kplus.Pods.select(chart, 'reviews-pods', { labels: { app: 'reviews' } }),
  ports: [{ port: 9080, name: 'http' }],
});
new CanaryRelease(chart, 'reviews-canary', {
  service: ServiceReference.fromService(service),
  stable: CanaryVersion.fromWorkload(stable),
  canary: CanaryVersion.fromWorkload(canary),
  canaryWeight: 10,
});
app.synth();
