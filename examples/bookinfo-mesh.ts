import { App, Chart } from 'cdk8s';
import {
  CanaryRelease, CanaryVersion, DataPlaneMode, DeniedRequests, IngressGateway, JwtProtectedService, MeshIngress, MeshPrincipal,
  ServiceReference, StringMatch, TrafficApi, WorkloadSelector, ZeroTrustNamespace,
} from '../src';
import { addBookinfo } from './bookinfo-app';

/**
 * Bookinfo secured and routed: a canary of reviews (jason sees v3, others 90/10), a JWT on
 * productpage's API, /admin refused, and a zero-trust baseline. One program for both data
 * planes: the bookinfo-sidecar and bookinfo-ambient examples differ only in `dataPlane`,
 * and test/examples/ambient.test.ts reviews the difference between their outputs.
 */
export function buildBookinfoMesh(app: App, dataPlane: DataPlaneMode): void {
  TrafficApi.use(app, TrafficApi.gatewayApi());
  const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
  const ingressGateway = new IngressGateway(gateways, 'ingress', { namespace: 'istio-ingress' });

  const mesh = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  mesh.addDependency(gateways);
  const bookinfo = addBookinfo(mesh, 'bookinfo', dataPlane);
  const pods = (deployment: string) => WorkloadSelector.fromWorkload(bookinfo.deployments[deployment]);

  new CanaryRelease(mesh, 'reviews', {
    service: ServiceReference.fromService(bookinfo.services.reviews),
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v3']),
    canaryWeight: 10,
    canaryHeaders: { 'end-user': StringMatch.exact('jason') },
  });
  new JwtProtectedService(mesh, 'productpage-api', {
    selector: pods('productpage-v1'),
    issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }],
    publicPaths: ['/productpage', '/static/*', '/login', '/logout'],
    ports: [9080],
  });
  new DeniedRequests(mesh, 'productpage-admin', { to: pods('productpage-v1'), paths: ['/admin', '/admin/*'], ports: [9080] });

  // After the intents above: in ambient they put the waypoint in front of productpage and reviews.
  const zeroTrust = new ZeroTrustNamespace(mesh, 'zero-trust');
  const sa = (name: string) => MeshPrincipal.serviceAccount(`bookinfo-${name}`, 'bookinfo');
  zeroTrust.allow('productpage-from-ingress', { to: pods('productpage-v1'), fromPrincipals: [MeshPrincipal.fromGateway(ingressGateway)] });
  zeroTrust.allow('details-from-productpage', { to: pods('details-v1'), fromPrincipals: [sa('productpage')] });
  zeroTrust.allow('reviews-from-productpage', { to: pods('reviews-v1'), fromPrincipals: [sa('productpage')], methods: ['GET'] });
  zeroTrust.allow('ratings-from-reviews', { to: pods('ratings-v1'), fromPrincipals: [sa('reviews')] });

  const ingress = new MeshIngress(mesh, 'bookinfo', { gateway: ingressGateway });
  ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' })
    .addRoute({ path: StringMatch.prefix('/'), service: ServiceReference.fromService(bookinfo.services.productpage) });
}
