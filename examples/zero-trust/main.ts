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
  zt.allow({ name: 'productpage-from-ingress', to: to('productpage-v1'), fromNamespaces: ['istio-ingress'], methods: ['GET'] });
  zt.allow({ name: 'details-from-productpage', to: to('details-v1'), fromPrincipals: [sa('productpage')], methods: ['GET'] });
  zt.allow({ name: 'reviews-from-productpage', to: WorkloadSelector.fromLabels({ app: 'reviews' }), fromPrincipals: [sa('productpage')], methods: ['GET'] });
  zt.allow({ name: 'ratings-from-reviews', to: to('ratings-v1'), fromPrincipals: [sa('reviews')], methods: ['GET'] });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
