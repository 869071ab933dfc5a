import { Duration } from 'cdk8s';
import {
  CanaryPhase, CanaryRelease, CanaryVersion, EgressGateway, ExternalGatewayWorkload, FaultInjection, IngressGateway, JwtProtectedService,
  MeshEgress, MeshIngress, MeshPrincipal, ServiceReference, ServiceResilience, StringMatch, WorkloadSelector, ZeroTrustNamespace,
} from '../../src';
import { collectExpectations } from '../../src/core/expectations';
import { chart } from '../support/synth';
import { versioned } from '../support/workloads';

// What each intent promises (the semantics harness, go/semantics, proves the
// promises of the examples against istiod's generated config; these tests pin
// how the promises follow the props, including where no promise can be made).

function reviews() {
  const c = chart('shop');
  const { service, deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
  return { c, ref: ServiceReference.fromService(service), v1, v2 };
}

const byPromise = (scope: any) => Object.fromEntries(collectExpectations(scope).map(e => [e.promise, e]));

describe('CanaryRelease', () => {
  test('the split, the A/B header, the sticky cookie, the mirror and its route policies', () => {
    const { c, ref, v1, v2 } = reviews();
    new CanaryRelease(c, 'canary', {
      service: ref,
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 10,
      canaryHeaders: { 'end-user': StringMatch.exact('jason') },
      stickyCookie: 'beta',
      mirrorPercentage: 5,
      timeout: Duration.seconds(2),
    });
    const p = byPromise(c);
    const client = { from: { namespace: 'shop' }, host: 'reviews.shop.svc.cluster.local', port: 9080 };
    expect(p['requests without the canary\'s headers are split 90/10 between v1 and v2, 5% mirrored to v2']).toEqual({
      by: 'test/canary',
      promise: expect.any(String),
      request: client,
      expect: { weights: { v1: 90, v2: 10 }, timeout: '2s', mirror: { name: 'v2', percent: 5 } },
    });
    expect(p['requests with end-user: jason go to v2'].request.headers).toEqual({ 'end-user': 'jason' });
    expect(p['requests carrying the cookie beta=true stay on v2'].expect).toEqual({ weights: { v2: 100 } });
    expect(p['answers from v2 set the cookie beta for 86400s'].expect).toEqual({ responseHeaders: { v2: { 'set-cookie': 'beta=true; Max-Age=86400; Path=/' } } });
  });

  test('promoted: everything to the canary (the weight-0 stable destination is not in the route), no A/B promise', () => {
    const { c, ref, v1, v2 } = reviews();
    new CanaryRelease(c, 'canary', {
      service: ref,
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 10,
      canaryHeaders: { 'end-user': StringMatch.exact('jason') },
      phase: CanaryPhase.PROMOTED,
    });
    const all = collectExpectations(c);
    expect(all.map(e => e.expect)).toEqual([{ weights: { v2: 100 } }]);
  });

  test('a regex header has no sample value: no promise is guessed for it', () => {
    const { c, ref, v1, v2 } = reviews();
    new CanaryRelease(c, 'canary', {
      service: ref,
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 10,
      canaryHeaders: { 'end-user': StringMatch.regex('j.*') },
    });
    expect(collectExpectations(c)).toHaveLength(1);
  });
});

test('FaultInjection: the faulted requests, and the others unfaulted; an abort of every request is its status', () => {
  const { c, ref } = reviews();
  new FaultInjection(c, 'chaos', { service: ref, headers: { 'x-chaos': StringMatch.prefix('on') }, delay: Duration.millis(1500), percentage: 50 });
  const p = byPromise(c);
  expect(p['requests with x-chaos: onsemantics get (50%) a 1.5s delay']).toMatchObject({ request: { headers: { 'x-chaos': 'onsemantics' } }, expect: { delay: { fixed: '1.5s', percent: 50 } } });
  expect(p['requests without x-chaos: onsemantics get no fault'].expect).toEqual({ delay: null, abort: null });

  const other = reviews();
  new FaultInjection(other.c, 'down', { service: other.ref, abortStatus: 503 });
  expect(collectExpectations(other.c).map(e => e.expect)).toEqual([{ abort: { status: 503, percent: 100 }, status: 503 }]);
});

test('ServiceResilience: timeout, retries and the circuit breaker with its defaults', () => {
  const { c, ref } = reviews();
  new ServiceResilience(c, 'r', { service: ref, retries: { attempts: 3, retryOn: ['5xx'] }, circuitBreaker: { maxConnections: 10 } });
  expect(collectExpectations(c)[0].expect).toEqual({
    retries: { attempts: 3, retryOn: '5xx' },
    circuitBreaker: { maxConnections: 10, consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
  });
});

describe('JwtProtectedService', () => {
  const issuer = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' };

  test('tokenless and claimless requests are refused by its policy; valid tokens and public paths are not', () => {
    const c = chart('shop');
    new JwtProtectedService(c, 'jwt', {
      selector: WorkloadSelector.fromLabels({ app: 'api' }), issuers: [issuer], requiredClaims: { role: ['admin'] }, publicPaths: ['/health*'],
    });
    const p = byPromise(c);
    expect(Object.keys(p)).toEqual([
      'a forged token of https://auth.example.com is refused',
      'a valid token of https://auth.example.com with the required claims is accepted and not refused by jwt',
      'a valid token without the claim role is refused',
      'a request without a token is refused',
      '/health* is not refused by jwt for lack of a token',
    ]);
    expect(p['a valid token of https://auth.example.com with the required claims is accepted and not refused by jwt'].request.token).toEqual({
      claims: { iss: 'https://auth.example.com', sub: 'semantics-user', role: 'admin' },
    });
    expect(p['a request without a token is refused'].expect).toEqual({ status: 403, token: 'missing', policies: { jwt: 'denies' } });
    expect(p['/health* is not refused by jwt for lack of a token'].request.path).toBe('/healthsemantics');
  });

  test('inline keys cannot sign the harness\'s tokens, and without enforcement only forgeries are refused', () => {
    const c = chart('shop');
    new JwtProtectedService(c, 'jwt', { selector: WorkloadSelector.fromLabels({ app: 'api' }), issuers: [{ issuer: 'i', jwks: '{"keys":[]}' }], allowRequestsWithoutToken: true });
    expect(collectExpectations(c).map(e => e.promise)).toEqual(['a forged token of i is refused']);
  });
});

test('ZeroTrustNamespace: listed callers allowed, other methods and strangers not, plain text refused unless permitted', () => {
  const c = chart('shop');
  const zt = new ZeroTrustNamespace(c, 'zt');
  const api = WorkloadSelector.fromLabels({ app: 'api' });
  zt.allow('web-to-api', { to: api, fromPrincipals: [MeshPrincipal.serviceAccount('web', 'shop')], methods: ['GET'], ports: [8080] });
  zt.permitPlaintext('probes', { selector: api, ports: [8080] });
  const p = byPromise(c);
  expect(Object.keys(p)).toEqual([
    'service account shop/web is allowed by web-to-api to call pods app=api (other policies may still refuse it)',
    'service account shop/web is not allowed by web-to-api to POST pods app=api',
    'a caller no rule names is refused by pods app=api',
    'plain text to port 8080 of pods app=api passes the mTLS check',
  ]);
  expect(p['service account shop/web is allowed by web-to-api to call pods app=api (other policies may still refuse it)'].expect).toEqual({ delivered: true, connection: 'mtls', policies: { 'web-to-api': 'allows' } });
});

test('MeshIngress: redirect and routes for a gateway of the app, or one outside it (by its pods\' labels)', () => {
  const { c, ref } = reviews();
  const gateway = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
  new MeshIngress(c, 'in', { gateway }).addHost('shop.example.com', { credentialName: 'cert' }).addRoute({ path: StringMatch.prefix('/reviews'), service: ref });
  expect(collectExpectations(c).map(e => [e.promise, e.request.port, e.expect])).toEqual([
    ['http://shop.example.com/ is redirected to https', 80, { status: 301, redirect: 'https://shop.example.com/semantics' }],
    ['https://shop.example.com/reviews/1 is routed to reviews.shop.svc.cluster.local and arrives at its pods', 443, { host: 'reviews.shop.svc.cluster.local', delivered: true }],
  ]);

  const outside = reviews();
  new MeshIngress(outside.c, 'in', { gateway: ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress') })
    .addHost('shop.example.com', { credentialName: 'cert' }).addRoute({ service: outside.ref });
  expect(collectExpectations(outside.c).map(e => e.request.via)).toEqual([
    { namespace: 'istio-ingress', labels: { istio: 'ingressgateway' } },
    { namespace: 'istio-ingress', labels: { istio: 'ingressgateway' } },
  ]);
});

test('MeshEgress: TLS originated or passed through, via the gateway; REGISTRY_ONLY refuses strangers', () => {
  const c = chart('apps');
  const egressGateway = new EgressGateway(c, 'egw', { namespace: 'istio-egress' });
  const egress = new MeshEgress(c, 'out', { egressGateway, registryOnly: true });
  egress.addExternalHost({ host: 'api.example.com', originateTls: true });
  egress.addExternalHost({ host: 'tls.example.com' });
  const via = [`istio-egress/${egressGateway.name}`];
  expect(collectExpectations(c).map(e => [e.request.tls, e.expect])).toEqual([
    [undefined, { upstream: { host: 'api.example.com', port: 443, tls: 'originated', sni: 'api.example.com' }, via }],
    [true, { upstream: { host: 'tls.example.com', port: 443, tls: 'passthrough', sni: 'tls.example.com' }, via }],
    [undefined, { status: 502 }],
  ]);
});
