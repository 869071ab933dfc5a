import { App, Chart, Duration } from 'cdk8s';
import { CanaryRelease, CanaryVersion, IngressGateway, MeshIngress, ServiceReference, ServiceResilience, StringMatch, TrafficApi } from '../src';
import { addBookinfo } from './bookinfo-app';

/**
 * Bookinfo's ingress, request routing (jason sees v3) and traffic shifting (v1/v3 50/50),
 * and a timeout on ratings: one program, rendered to the API `api` names. The routing-istio
 * and routing-gateway-api examples render it both ways; the semantics harness proves that
 * both route the same requests to the same versions.
 */
export function buildRouting(app: App, api: TrafficApi): void {
  TrafficApi.use(app, api);
  const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
  const ingressGateway = new IngressGateway(gateways, 'ingress', { namespace: 'istio-ingress' });

  const mesh = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(mesh, 'bookinfo');
  new CanaryRelease(mesh, 'reviews', {
    service: ServiceReference.fromService(bookinfo.services.reviews),
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v3']),
    canaryWeight: 50,
    canaryHeaders: { 'end-user': StringMatch.exact('jason') },
  });
  new ServiceResilience(mesh, 'ratings', { service: ServiceReference.fromService(bookinfo.services.ratings), timeout: Duration.seconds(10) });

  const ingress = new MeshIngress(mesh, 'bookinfo', { gateway: ingressGateway });
  const host = ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' });
  const productpage = ServiceReference.fromService(bookinfo.services.productpage);
  host.addRoute({ path: StringMatch.exact('/productpage'), service: productpage });
  host.addRoute({ path: StringMatch.prefix('/static'), service: productpage });
  host.addRoute({ path: StringMatch.prefix('/api/v1/products'), service: productpage });
  host.addRoute({ path: StringMatch.prefix('/reviews'), service: ServiceReference.fromService(bookinfo.services.reviews) });
  mesh.addDependency(gateways);
}
