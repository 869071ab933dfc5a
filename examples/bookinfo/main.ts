import { App, Chart } from 'cdk8s';
import { CanaryRelease, IngressGateway, MeshIngress, StringMatch } from '../../src';
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
    service: bookinfo.services.reviews,
    stable: { deployment: bookinfo.deployments['reviews-v1'] },
    canary: { deployment: bookinfo.deployments['reviews-v2'] },
    canaryHeaders: { 'end-user': StringMatch.exact('jason') },
  });

  const ingress = new MeshIngress(mesh, 'bookinfo', { gateway: ingressGateway });
  ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' });
  ingress.addRoute({ host: 'bookinfo.example.com', exactPath: '/productpage', service: bookinfo.services.productpage });
  ingress.addRoute({ host: 'bookinfo.example.com', pathPrefix: '/static', service: bookinfo.services.productpage });
  ingress.addRoute({ host: 'bookinfo.example.com', pathPrefix: '/api/v1/products', service: bookinfo.services.productpage });
  mesh.addDependency(gateways);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
