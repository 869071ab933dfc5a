import { App, Chart } from 'cdk8s';
import { MeshPrincipal, WorkloadSelector, ZeroTrustNamespace } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/** Zero trust for Bookinfo: STRICT mTLS, allow nothing, then allow exactly the calls the app makes. */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  const zt = new ZeroTrustNamespace(chart, 'zero-trust');
  const sa = (name: string) => MeshPrincipal.serviceAccount(`bookinfo-${name}`, 'bookinfo');
  const to = (deployment: string) => WorkloadSelector.fromWorkload(bookinfo.deployments[deployment]);
  // Each rule is keyed by its id, which names its policy: adding or removing one renames no other.
  zt.allow('productpage-from-ingress', { to: to('productpage-v1'), fromNamespaces: ['istio-ingress'], methods: ['GET'] });
  zt.allow('details-from-productpage', { to: to('details-v1'), fromPrincipals: [sa('productpage')], methods: ['GET'] });
  // Selectors from a workload use its identity label (app), so this one covers reviews v1, v2 and v3.
  zt.allow('reviews-from-productpage', { to: to('reviews-v1'), fromPrincipals: [sa('productpage')], methods: ['GET'] });
  zt.allow('ratings-from-reviews', { to: to('ratings-v1'), fromPrincipals: [sa('reviews')], methods: ['GET'] });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
