import { App, Chart, Duration } from 'cdk8s';
import {
  CanaryRelease, CanaryVersion, FaultInjection, IngressGateway, JwtProtectedService, MeshIngress, MeshPrincipal,
  ServiceReference, ServiceResilience, StringMatch, WorkloadSelector, ZeroTrustNamespace,
} from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Intents combined on one service: reviews gets a canary (jason and 10% of users
 * see v2), a timeout, retries and a circuit breaker, a delay for requests marked
 * for chaos testing, and an ingress route, which render one DestinationRule and
 * one mesh VirtualService for reviews. productpage needs a JWT while zero trust
 * allows the ingress gateway to call it: the JWT is a DENY, so the allow cannot
 * open it to callers without a token.
 */
export function build(app: App): void {
  const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
  const ingressGateway = new IngressGateway(gateways, 'ingress', { namespace: 'istio-ingress' });

  const shop = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(shop, 'bookinfo');
  const reviews = ServiceReference.fromService(bookinfo.services.reviews);

  new CanaryRelease(shop, 'reviews-canary', {
    service: reviews,
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v2']),
    canaryWeight: 10,
    canaryHeaders: { 'end-user': StringMatch.exact('jason') },
  });
  new ServiceResilience(shop, 'reviews-resilience', {
    service: reviews,
    timeout: Duration.seconds(3),
    retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: ['5xx', 'connect-failure'] },
    circuitBreaker: { maxConnections: 100, consecutive5xxErrors: 5 },
  });
  new FaultInjection(shop, 'reviews-chaos', {
    service: reviews,
    headers: { 'x-chaos': StringMatch.exact('delay') },
    delay: Duration.seconds(2),
  });

  const ingress = new MeshIngress(shop, 'bookinfo', { gateway: ingressGateway });
  const host = ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' });
  host.addRoute({ path: StringMatch.prefix('/reviews'), service: reviews });
  host.addRoute({ path: StringMatch.exact('/productpage'), service: ServiceReference.fromService(bookinfo.services.productpage) });

  const productpage = WorkloadSelector.fromWorkload(bookinfo.deployments['productpage-v1']);
  const zeroTrust = new ZeroTrustNamespace(shop, 'zero-trust');
  zeroTrust.allow('productpage-from-ingress', { to: productpage, fromNamespaces: ['istio-ingress'] });
  // One selector for every version of reviews: fromWorkload uses the identity label (app), not version.
  const reviewsPods = WorkloadSelector.fromWorkload(bookinfo.deployments['reviews-v1']);
  zeroTrust.allow('reviews-from-productpage', { to: reviewsPods, fromPrincipals: [MeshPrincipal.serviceAccount('bookinfo-productpage', 'bookinfo')] });
  zeroTrust.allow('reviews-from-ingress', { to: reviewsPods, fromNamespaces: ['istio-ingress'] });
  new JwtProtectedService(shop, 'productpage-jwt', {
    selector: productpage,
    issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }],
    publicPaths: ['/healthz'],
    ports: [9080], // productpage's HTTP port; without ports every port requires a token
  });
  shop.addDependency(gateways);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
