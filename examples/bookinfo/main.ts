import { App, Chart } from 'cdk8s';
import { CanaryRelease, CanaryVersion, IngressGateway, MeshIngress, ServiceReference, StringMatch } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * The main example: Bookinfo behind an HTTPS ingress gateway, with reviews
 * routed by user (jason sees v2, everyone else v1).
 */
export function build(app: App): void {
  const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
  const ingressGateway = new IngressGateway(gateways, 'ingress', { namespace: 'istio-ingress' });

  const mesh = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(mesh, 'bookinfo');

  new CanaryRelease(mesh, 'reviews', {
    service: ServiceReference.fromService(bookinfo.services.reviews),
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v2']),
    canaryHeaders: { 'end-user': StringMatch.exact('jason') },
  });

  const ingress = new MeshIngress(mesh, 'bookinfo', { gateway: ingressGateway });
  const host = ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' });
  const productpage = ServiceReference.fromService(bookinfo.services.productpage);
  host.addRoute({ path: StringMatch.exact('/productpage'), service: productpage });
  host.addRoute({ path: StringMatch.prefix('/static'), service: productpage });
  host.addRoute({ path: StringMatch.prefix('/api/v1/products'), service: productpage });
  mesh.addDependency(gateways);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
