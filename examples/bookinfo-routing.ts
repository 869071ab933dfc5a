import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
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

  // Vault terminates TLS itself: the gateway routes its connections by SNI and never decrypts them.
  const secrets = new Chart(app, 'vault', { namespace: 'vault' });
  new kplus.Namespace(secrets, 'Namespace', { metadata: { name: 'vault', labels: { 'istio-injection': 'enabled' } } });
  const vault = new kplus.Deployment(secrets, 'vault', {
    metadata: { name: 'vault' },
    replicas: 1,
    podMetadata: { labels: { app: 'vault', version: 'v1' } },
    containers: [{ name: 'vault', image: 'docker.io/hashicorp/vault:1.17.6', ports: [{ number: 8200, name: 'tls' }], securityContext: { user: 100, group: 1000 } }],
  });
  const vaultService = new kplus.Service(secrets, 'vault-svc', {
    metadata: { name: 'vault' },
    selector: vault,
    // 'tls-': Istio reads the stream as TLS (the SNI), never as HTTP.
    ports: [{ port: 8200, targetPort: 8200, name: 'tls-api' }],
  });
  ingress.addPassthroughHost('vault.example.com', { service: ServiceReference.fromService(vaultService) });
  mesh.addDependency(gateways);
  mesh.addDependency(secrets);
}
