import { App, Chart } from 'cdk8s';
import { MeshIngress, ServiceReference, StringMatch, TrafficApi } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Gateway API with the gateway Istio deploys for the Gateway (no IngressGateway in the app):
 * Istio makes the Deployment and Service `bookinfo-istio` in istio-ingress, a port per listener.
 * One public host, and an admin host that requires a token at the gateway.
 */
export function build(app: App): void {
  TrafficApi.use(app, TrafficApi.gatewayApi());
  const mesh = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(mesh, 'bookinfo');
  const productpage = ServiceReference.fromService(bookinfo.services.productpage);

  const ingress = new MeshIngress(mesh, 'bookinfo', { namespace: 'istio-ingress' });
  const shop = ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' });
  shop.addRoute({ path: StringMatch.exact('/productpage'), service: productpage });
  shop.addRoute({ path: StringMatch.prefix('/static'), service: productpage });
  ingress.addHost('admin.example.com', {
    credentialName: 'admin-cert',
    jwt: { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }] },
  }).addRoute({ service: ServiceReference.fromService(bookinfo.services.details) });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
