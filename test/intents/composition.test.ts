import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AuthorizationAction, AuthorizationPolicy, CanaryRelease, CanaryVersion, DestinationRule, EgressGateway, ExternalGatewayWorkload, FaultInjection,
  FindingSeverity, GatewayReference, JwtProtectedService, MeshAnalyzer, MeshEgress, MeshIngress, MeshService, ServiceReference, ServiceResilience,
  StringMatch, VirtualService, WorkloadSelector, ZeroTrustNamespace,
} from '../../src';
import { helpers } from '../fixtures/app';
import { decide } from '../support/authz';
import { chart, ofKind, only, synth } from '../support/synth';
import { versioned } from '../support/workloads';

const host = 'reviews.shop.svc.cluster.local';
const gateway = ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress');

function reviews() {
  const c = chart('shop');
  const { service, deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
  const ref = ServiceReference.fromService(service);
  const canary = (id = 'canary', props: any = {}) => new CanaryRelease(c, id, {
    service: ref, stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2), canaryWeight: 10, ...props,
  });
  return { c, ref, v1, v2, canary };
}

describe('intents on one service compose into one DestinationRule and one VirtualService', () => {
  test('canary + circuit breaker: the subsets and the breaker share one DestinationRule', () => {
    const { c, ref, canary } = reviews();
    canary();
    new ServiceResilience(c, 'breaker', { service: ref, circuitBreaker: { maxConnections: 10 } });
    const dr = only(synth(c), 'DestinationRule');
    expect(dr.metadata).toEqual({ name: 'reviews', namespace: 'shop' });
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(dr.spec.trafficPolicy.connectionPool).toEqual({ tcp: { maxConnections: 10 } });
  });

  test('canary + timeout: one VirtualService, the timeout on every route (no IST0109)', () => {
    const { c, ref, canary } = reviews();
    new ServiceResilience(c, 'timeouts', { service: ref, timeout: Duration.seconds(2) });
    canary('canary', { canaryHeaders: { 'end-user': StringMatch.exact('jason') } });
    const vs = only(synth(c), 'VirtualService');
    expect(vs.spec.http.map((r: any) => [r.name, r.timeout])).toEqual([['canary-match', '2s'], ['primary', '2s']]);
  });

  test('canary + fault + resilience: documented order, faulted requests still split', () => {
    const { c, ref, canary } = reviews();
    new FaultInjection(c, 'chaos', { service: ref, headers: { 'x-chaos': StringMatch.exact('1') }, abortStatus: 503, percentage: 50 });
    canary('canary', { canaryHeaders: { 'end-user': StringMatch.exact('jason') }, stickyCookie: 'beta' });
    new ServiceResilience(c, 'retries', { service: ref, retries: { attempts: 3 } });
    const http = only(synth(c), 'VirtualService').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['chaos-canary-match', 'chaos-canary-sticky', 'chaos-primary', 'canary-match', 'canary-sticky', 'primary']);
    expect(http[0].match).toEqual([{ headers: { 'x-chaos': { exact: '1' }, 'end-user': { exact: 'jason' } } }]);
    expect(http[2].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([['v1', 90], ['v2', 10]]);
    expect(http.slice(0, 3).every((r: any) => r.fault?.abort?.httpStatus === 503)).toBe(true);
    expect(http.slice(3).some((r: any) => r.fault)).toBe(false);
    expect(http.every((r: any) => r.retries?.attempts === 3)).toBe(true);
  });

  test('a fault for all requests rides on every route; a fault whose match contradicts a route skips it', () => {
    const { c, ref, canary } = reviews();
    canary('canary', { canaryHeaders: { 'end-user': StringMatch.exact('jason') } });
    new FaultInjection(c, 'slow', { service: ref, delay: Duration.seconds(1) });
    new FaultInjection(c, 'for-bob', { service: ref, headers: { 'end-user': StringMatch.exact('bob') }, abortStatus: 500 });
    const http = only(synth(c), 'VirtualService').spec.http;
    // bob can never be jason: only the default route is crossed with bob's fault.
    expect(http.map((r: any) => r.name)).toEqual(['for-bob-primary', 'canary-match', 'primary']);
    expect(http[1].fault).toEqual({ delay: { fixedDelay: '1s', percentage: { value: 100 } } });
  });

  test('an ingress route to the service carries its split, faults and timeout, in either order', () => {
    for (const ingressFirst of [true, false]) {
      const { c, ref, canary } = reviews();
      const addIngress = () => new MeshIngress(c, 'public', { gateway }).addHost('shop.example.com', { httpOnly: true })
        .addRoute({ path: StringMatch.prefix('/reviews'), service: ref });
      if (ingressFirst) addIngress();
      canary();
      new ServiceResilience(c, 'timeouts', { service: ref, timeout: Duration.seconds(2) });
      if (!ingressFirst) addIngress();
      const vss = ofKind(synth(c), 'VirtualService').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      expect(vss.map(v => [v.metadata.name, v.spec.hosts])).toEqual([['public-shop-example-com', ['shop.example.com']], ['reviews', [host]]]);
      expect(vss[0].spec.http).toEqual([{
        name: 'reviews-primary',
        match: [{ uri: { prefix: '/reviews' } }],
        route: [{ destination: { host, subset: 'v1' }, weight: 90 }, { destination: { host, subset: 'v2' }, weight: 10 }],
        timeout: '2s',
      }]);
    }
  });

  test('adopting a DestinationRule (Bookinfo\'s destination-rule-all): intents add to it, none is emitted of ours', () => {
    for (const adoptFirst of [true, false]) {
      const { c, ref, canary } = reviews();
      const all = new DestinationRule(c, 'destination-rule-all', { metadata: { name: 'reviews-all' }, host, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
      if (adoptFirst) new MeshService(c, 'reviews-model', { service: ref, destinationRule: all });
      canary();
      new ServiceResilience(c, 'breaker', { service: ref, circuitBreaker: { consecutive5xxErrors: 3 } });
      if (!adoptFirst) MeshService.of(c, ref).adoptDestinationRule(all);
      const out = synth(c);
      const dr = only(out, 'DestinationRule');
      expect(dr.metadata.name).toBe('reviews-all');
      expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
      expect(dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(3);
      // Subsets exist before routes use them.
      expect(out.findIndex(o => o.kind === 'DestinationRule')).toBeLessThan(out.findIndex(o => o.kind === 'VirtualService'));
    }
  });

  describe('contradictions fail naming both constructs', () => {
    test('two canaries', () => {
      const { canary } = reviews();
      canary('first');
      expect(() => canary('second')).toThrow(/CanaryRelease 'test\/second': splits traffic of 'reviews.shop.svc.cluster.local', which CanaryRelease 'test\/first' already splits/);
    });
    test('two timeouts', () => {
      const { c, ref, canary } = reviews();
      canary('canary', { timeout: Duration.seconds(1) });
      expect(() => new ServiceResilience(c, 'slow', { service: ref, timeout: Duration.seconds(9) }))
        .toThrow(/ServiceResilience 'test\/slow': sets a timeout for 'reviews.shop.svc.cluster.local', which CanaryRelease 'test\/canary' already sets/);
    });
    test('two outlier detections', () => {
      const { c, ref, canary } = reviews();
      canary('canary', { trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } } });
      expect(() => new ServiceResilience(c, 'breaker', { service: ref, circuitBreaker: {} }))
        .toThrow(/ServiceResilience 'test\/breaker': sets trafficPolicy.outlierDetection for .*, which CanaryRelease 'test\/canary' already sets/);
    });
    test('a fault that pins a subset under a canary', () => {
      const { c, ref, canary } = reviews();
      canary();
      expect(() => new FaultInjection(c, 'pin', { service: ref, subset: 'v1', abortStatus: 500 }))
        .toThrow(/FaultInjection 'test\/pin': sends all traffic of .* to subset 'v1', but CanaryRelease 'test\/canary' already decides where it goes/);
    });
    test('two faults for all requests', () => {
      const { c, ref } = reviews();
      new FaultInjection(c, 'a', { service: ref, abortStatus: 500 });
      expect(() => new FaultInjection(c, 'b', { service: ref, delay: Duration.seconds(1) })).toThrow(/FaultInjection 'test\/b': injects a fault into all requests .* as FaultInjection 'test\/a' does/);
    });
    test('a fault and a canary matching one header differently', () => {
      const { c, ref, canary } = reviews();
      canary('canary', { canaryHeaders: { 'end-user': StringMatch.exact('jason') } });
      expect(() => new FaultInjection(c, 'f', { service: ref, headers: { 'end-user': StringMatch.prefix('j') }, abortStatus: 500 }))
        .toThrow(/FaultInjection 'test\/f' and CanaryRelease 'test\/canary' cannot be combined on one host: they both match header 'end-user'/);
    });
    test('one subset name with other labels', () => {
      const { c, ref, v1 } = reviews();
      new CanaryRelease(c, 'a', { service: ref, stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromLabels({ version: 'v9' }) });
      const dr = MeshService.of(c, ref).destinationRule!;
      expect(dr.subsetNames).toEqual(['v1', 'v9']);
      expect(() => MeshService.of(c, ref)._addSubset(c, 'v9', { version: 'nine' })).toThrow(/subset 'v9' .* is already defined by CanaryRelease 'test\/a' with labels/);
    });
    test('a second MeshService for a host', () => {
      const { c, ref } = reviews();
      MeshService.of(c, ref);
      expect(() => new MeshService(c, 'again', { service: ref })).toThrow(/host 'reviews.shop.svc.cluster.local' already has a MeshService/);
    });
  });
});

describe('JWT composes with zero trust and ingress', () => {
  function shop(handWrittenJwt: boolean) {
    const c = chart('shop');
    const { deployments: [v1] } = versioned(c, 'productpage', ['v1']);
    const selector = WorkloadSelector.fromWorkload(v1);
    const zt = new ZeroTrustNamespace(c, 'zt');
    zt.allow('productpage-from-ingress', { to: selector, fromNamespaces: ['istio-ingress'] });
    if (handWrittenJwt) {
      // The pattern JwtProtectedService used to emit, and users still write: JWT required by an ALLOW.
      new JwtProtectedService(c, 'jwt', { selector, issuers: [{ issuer: 'https://auth', jwksUri: 'https://auth/jwks' }], allowRequestsWithoutToken: true });
      new AuthorizationPolicy(c, 'require-jwt', { metadata: { name: 'require-jwt' }, selector, rules: [{ sources: [{ requestPrincipals: ['https://auth/*'] }] }] });
    } else {
      new JwtProtectedService(c, 'jwt', { selector, issuers: [{ issuer: 'https://auth', jwksUri: 'https://auth/jwks' }], publicPaths: ['/healthz'] });
    }
    return c;
  }
  const workload = { namespace: 'shop', labels: { app: 'productpage', version: 'v1' } };
  const fromIngress = { namespace: 'istio-ingress', principal: 'cluster.local/ns/istio-ingress/sa/gw', port: 9080 };

  test('a tokenless request from the ingress gateway is refused, a token or a public path lets it in', () => {
    const out = synth(shop(false));
    expect(decide(out, workload, { ...fromIngress, path: '/productpage' })).toBe('DENY');
    expect(decide(out, workload, { ...fromIngress, path: '/productpage', requestPrincipal: 'https://auth/alice' })).toBe('ALLOW');
    expect(decide(out, workload, { ...fromIngress, path: '/healthz' })).toBe('ALLOW');
    // Zero trust still holds for callers it does not allow, token or not.
    expect(decide(out, workload, { namespace: 'other', path: '/productpage', requestPrincipal: 'https://auth/alice', port: 9080 })).toBe('DENY');
  });

  test('the policy set also refuses a token from another issuer', () => {
    const out = synth(shop(false));
    expect(decide(out, workload, { ...fromIngress, path: '/productpage', requestPrincipal: 'https://evil/alice' })).toBe('DENY');
  });

  test('JWT enforced by an ALLOW next to an allow rule: the bypass is an analyzer error (CDK8SISTIO014)', () => {
    const c = shop(true);
    expect(() => synth(c)).toThrow(/CDK8SISTIO014 AuthorizationPolicy shop\/productpage-from-ingress .*admits callers without a token to Deployment '[^']+' on every path, whose JWT requirement is the ALLOW policy shop\/require-jwt/);
    // What the analyzer reports is real: the oracle lets the tokenless request through.
    MeshAnalyzer.of(c).enabled = false;
    expect(decide(synth(c), workload, { ...fromIngress, path: '/productpage' })).toBe('ALLOW');
  });
});

test('a subset no pod behind the Service carries: a warning, an error once a route uses it (CDK8SISTIO015)', () => {
  const { c } = reviews();
  new DestinationRule(c, 'dr', { metadata: { name: 'reviews' }, host, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v3', labels: { version: 'v3' } }] });
  const found = MeshAnalyzer.of(c).analyze().filter(f => f.code === 'CDK8SISTIO015');
  expect(found.map(f => [f.severity, f.message.split(', so')[0]])).toEqual([
    [FindingSeverity.WARNING, 'subset \'v3\' selects pods labelled {"version":"v3"}, but no pod behind Service \'reviews\' (selector {"app":"reviews"}) carries them'],
  ]);
  new VirtualService(c, 'to-v3', { hosts: [host], http: [{ route: [{ destination: { host, subset: 'v3' } }] }] });
  expect(() => synth(c)).toThrow(/CDK8SISTIO015 DestinationRule shop\/reviews .*subset 'v3' .*find no endpoint \(503\), and a route does/);
});

describe('selectors and names survive change', () => {
  test('a selector from v1 keeps applying when v2 rolls out (identity label, not version or cdk8s hash)', () => {
    const c = chart('shop');
    const { deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
    const selector = WorkloadSelector.fromWorkload(v1);
    expect(selector.labels).toEqual({ app: 'reviews' });
    const v2Labels = v2.podMetadata.toJson().labels;
    expect(Object.entries(selector.labels).every(([k, v]) => v2Labels[k] === v)).toBe(true);
    expect(WorkloadSelector.fromWorkload(v1, ['app', 'version']).labels).toEqual({ app: 'reviews', version: 'v1' });
    expect(() => WorkloadSelector.fromWorkload(v1, ['tier'])).toThrow(/WorkloadSelector.fromWorkload\(\): the pods of 'test\/reviews-v1' do not carry tier/);
  });
});

describe('composition edge cases', () => {
  test('a DestinationRule adopted after an intent set the same policy field fails naming both', () => {
    const { c, ref } = reviews();
    new ServiceResilience(c, 'breaker', { service: ref, circuitBreaker: { consecutive5xxErrors: 3 } });
    const rule = new DestinationRule(c, 'all', { host, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 99 } } });
    expect(() => MeshService.of(c, ref).adoptDestinationRule(rule))
      .toThrow(/the adopted DestinationRule 'test\/all' sets trafficPolicy.outlierDetection, which ServiceResilience 'test\/breaker' sets too/);
  });

  test('a DestinationRule in another namespace cannot be adopted (clients would not see its subsets)', () => {
    const { c, ref } = reviews();
    const rule = new DestinationRule(c, 'all', { metadata: { namespace: 'other' }, host });
    expect(() => MeshService.of(c, ref).adoptDestinationRule(rule)).toThrow(/it is in namespace 'other', not the service's 'shop'/);
  });

  test('a named port is matched on sidecars (other ports keep their routing), not at the gateway', () => {
    const c = chart('shop');
    const { deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
    const service = new kplus.Service(c, 'multi', {
      metadata: { name: 'multi' },
      selector: kplus.Pods.select(c, 'multi-pods', { labels: { app: 'reviews' } }),
      ports: [{ port: 9080, name: 'http' }, { port: 9090, name: 'grpc' }],
    });
    const ref = ServiceReference.fromService(service, 9080);
    new CanaryRelease(c, 'canary', { service: ref, stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2), canaryWeight: 10 });
    new MeshIngress(c, 'public', { gateway }).addHost('shop.example.com', { httpOnly: true }).addRoute({ service: ref });
    const [mesh, edge] = ofKind(synth(c), 'VirtualService');
    expect(mesh.spec.http[0].match).toEqual([{ port: 9080 }]);
    expect(edge.spec.http[0].match).toEqual([{ uri: { prefix: '/' } }]);
    expect(edge.spec.http[0].route[0].destination.port).toEqual({ number: 9080 });
  });

  test('routes added to a generated VirtualService are kept, before the generated ones', () => {
    const { c, ref, canary } = reviews();
    const release = canary();
    release.virtualService.addHttpRoute({ name: 'legacy', match: [{ uri: StringMatch.prefix('/legacy') }], redirect: { uri: '/' } });
    new ServiceResilience(c, 'later', { service: ref, timeout: Duration.seconds(1) });
    expect(only(synth(c), 'VirtualService').spec.http.map((r: any) => r.name)).toEqual(['legacy', 'primary']);
  });

  test('a header fault an earlier, broader one would shadow fails; a fault for all requests joins a matched one', () => {
    const { c, ref } = reviews();
    new FaultInjection(c, 'slow', { service: ref, headers: { 'x-chaos': StringMatch.exact('1') }, delay: Duration.seconds(1) });
    expect(() => new FaultInjection(c, 'broken', { service: ref, headers: { 'x-chaos': StringMatch.exact('1'), 'end-user': StringMatch.exact('jason') }, abortStatus: 500 }))
      .toThrow(/FaultInjection 'test\/broken': matches every header FaultInjection 'test\/slow' matches, which comes first/);
    new FaultInjection(c, 'flaky', { service: ref, abortStatus: 503, percentage: 1 });
    const http = only(synth(c), 'VirtualService').spec.http;
    expect(http[0].fault).toEqual({ delay: { fixedDelay: '1s', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 1 } } });
    expect(http[1].fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 1 } } });
    expect(() => new FaultInjection(c, 'empty', { service: ref, headers: {}, delay: Duration.seconds(1) })).toThrow(/headers is empty, which would fault every request/);
  });

  test('a selector from a workload keeps its non-version labels (tier), so an allow rule does not widen', () => {
    const c = chart('shop');
    const make = (tier: string) => {
      const labels = { app: 'shop', tier, version: 'v1' };
      const d = new kplus.Deployment(c, tier, { select: false, podMetadata: { labels }, containers: [{ image: 'x', ports: [{ number: 8080 }] }] });
      d.select(kplus.LabelSelector.of({ labels }));
      return d;
    };
    make('api');
    expect(WorkloadSelector.fromWorkload(make('db')).labels).toEqual({ app: 'shop', tier: 'db' });
  });

  test('a short host and the Service are one host; objects land in the Service\'s chart', () => {
    const { c, ref } = reviews();
    const other = new Chart(c.node.scope as any, 'gateways', { namespace: 'istio-ingress' });
    new MeshIngress(other, 'public', { gateway }).addHost('shop.example.com', { httpOnly: true }).addRoute({ service: ref });
    new ServiceResilience(c, 'short', { service: ServiceReference.fromHost('reviews'), timeout: Duration.seconds(1) });
    expect(MeshService.of(c, ServiceReference.fromHost('reviews')).node.path).toBe('test/MeshService-reviews.shop.svc.cluster.local');
    expect(() => ServiceReference.fromHost('a.example.com', 70000)._resolve(c)).toThrow(/port must be a port number/);
  });

  test('MeshEgress and a circuit breaker on one external host share one DestinationRule; routing it twice fails', () => {
    const c = chart('shop');
    new MeshEgress(c, 'direct').addExternalHost({ host: 'httpbin.org', originateTls: true });
    new ServiceResilience(c, 'breaker', { service: ServiceReference.fromHost('httpbin.org'), circuitBreaker: { consecutive5xxErrors: 2 } });
    const dr = only(synth(c), 'DestinationRule');
    expect(Object.keys(dr.spec.trafficPolicy).sort()).toEqual(['outlierDetection', 'portLevelSettings']);
    const d = chart('shop');
    const egw = new EgressGateway(d, 'egw', { namespace: 'istio-egress' });
    new MeshEgress(d, 'via', { egressGateway: egw }).addExternalHost({ host: 'edition.cnn.com' });
    expect(() => new ServiceResilience(d, 'timeout', { service: ServiceReference.fromHost('edition.cnn.com'), timeout: Duration.seconds(1) }))
      .toThrow(/ServiceResilience 'test\/timeout': routes 'edition.cnn.com', but MeshEgress 'test\/via' routes 'edition.cnn.com' through the egress gateway with a VirtualService of its own/);
  });
});

describe('hand-written policies the analyzer judges', () => {
  const workloadFor = (c: Chart) => WorkloadSelector.fromWorkload(versioned(c, 'productpage', ['v1']).deployments[0]);
  const requireJwt = (c: Chart, selector: WorkloadSelector, extra: any[] = []) => new AuthorizationPolicy(c, 'require-jwt', {
    metadata: { name: 'require-jwt' }, selector, rules: [{ sources: [{ requestPrincipals: ['https://auth/*'] }] }, ...extra],
  });

  test('an ALLOW-JWT policy with its own public path, plus an allow from the ingress namespace: an error (every path opens)', () => {
    const c = chart('shop');
    const selector = workloadFor(c);
    requireJwt(c, selector, [{ operations: [{ paths: ['/healthz'] }] }]);
    new ZeroTrustNamespace(c, 'zt').allow('from-ingress', { to: selector, fromNamespaces: ['istio-ingress'] });
    expect(() => synth(c)).toThrow(/CDK8SISTIO014 AuthorizationPolicy shop\/from-ingress .* on every path/);
  });

  test('a separate public path next to an ALLOW-JWT policy: a warning, not an error', () => {
    const c = chart('shop');
    const selector = workloadFor(c);
    requireJwt(c, selector);
    new AuthorizationPolicy(c, 'public', { metadata: { name: 'public-healthz' }, selector, rules: [{ operations: [{ paths: ['/healthz'] }] }] });
    const found = MeshAnalyzer.of(c).analyze().filter(f => f.code === 'CDK8SISTIO014');
    expect(found.map(f => f.severity)).toEqual([FindingSeverity.WARNING]);
    expect(() => synth(c)).not.toThrow();
  });

  test('two DENY policies each refusing the other\'s issuers on one workload (CDK8SISTIO016)', () => {
    const c = chart('shop');
    const selector = workloadFor(c);
    const deny = (name: string, issuer: string) => new AuthorizationPolicy(c, name, {
      metadata: { name }, selector, action: AuthorizationAction.DENY, rules: [{ sources: [{ notRequestPrincipals: [`${issuer}/*`] }] }],
    });
    deny('internal', 'https://internal');
    deny('partner', 'https://partner');
    expect(() => synth(c)).toThrow(/CDK8SISTIO016 AuthorizationPolicy shop\/partner .* no token passes both/);
  });
});

describe('second review cases', () => {
  test('a user function named synth in a file named app.ts is not cdk8s\' App.synth: every pass analyzes', () => {
    const app = Testing.app();
    const first = new Chart(app, 'first', { namespace: 'shop' });
    versioned(first, 'reviews', ['v1']);
    new DestinationRule(first, 'dr', { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }] }); // the analysis is attached
    helpers.synth(first);
    const second = new Chart(app, 'second', { namespace: 'shop' });
    new VirtualService(second, 'vs', { hosts: ['a.example.com'], gateways: [GatewayReference.fromName('nope', 'shop')], http: [{ route: [{ destination: { host } }] }] });
    expect(() => helpers.synth(second)).toThrow(/IST0101 VirtualService shop\/second-vs/);
  });

  test('the default cdk8s-plus selector (its hash only) falls back to every lasting pod label', () => {
    const c = chart('shop');
    const make = (tier: string) => new kplus.Deployment(c, tier, { podMetadata: { labels: { app: 'shop', tier, version: 'v1' } }, containers: [{ image: 'x', ports: [{ number: 8080 }] }] });
    make('web');
    expect(WorkloadSelector.fromWorkload(make('db')).labels).toEqual({ app: 'shop', tier: 'db' });
  });

  test('a token-requiring DENY on ports no selected pod listens on, or missing a pod\'s ports (CDK8SISTIO017)', () => {
    const c = chart('shop');
    versioned(c, 'reviews', ['v1']);
    new JwtProtectedService(c, 'jwt', { selector: WorkloadSelector.fromLabels({ app: 'reviews' }), issuers: [{ issuer: 'https://auth', jwksUri: 'https://auth/jwks' }], ports: [80] });
    expect(() => synth(c)).toThrow(/CDK8SISTIO017 AuthorizationPolicy shop\/jwt .*requires a token on port\(s\) 80, which no pod it selects listens on \(their container ports: 9080\)/);
  });

  test('an external host: HTTP intents on a TLS-passthrough host fail; its rule must be in the ServiceEntry\'s namespace', () => {
    const c = chart('shop');
    new MeshEgress(c, 'direct').addExternalHost({ host: 'api.example.com' });
    expect(() => new ServiceResilience(c, 'timeout', { service: ServiceReference.fromHost('api.example.com'), timeout: Duration.seconds(1) }))
      .toThrow(/ServiceResilience 'test\/timeout': routes 'api.example.com', but MeshEgress 'test\/direct' passes TLS to 'api.example.com' through untouched/);
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const egress = new Chart(app, 'egress', { namespace: 'egress' });
    new ServiceResilience(shop, 'breaker', { service: ServiceReference.fromHost('api.example.com'), circuitBreaker: {} });
    expect(() => new MeshEgress(egress, 'out').addExternalHost({ host: 'api.example.com', originateTls: true }))
      .toThrow(/MeshEgress 'egress\/out': registers 'api.example.com' in namespace 'egress', but the host's DestinationRule is in 'shop'/);
  });

  test('after adoption, ApiObject.of() of a contributor reaches the adopted rule', () => {
    const { c, ref } = reviews();
    const breaker = new ServiceResilience(c, 'breaker', { service: ref, circuitBreaker: {} });
    const rule = new DestinationRule(c, 'all', { host });
    MeshService.of(c, ref).adoptDestinationRule(rule);
    expect(ApiObject.of(breaker)).toBe(rule);
  });

  test('partial hosts are refused; colliding names are named before constructs collide', () => {
    const { c } = reviews();
    expect(() => new ServiceResilience(c, 'p', { service: ServiceReference.fromHost('reviews.shop'), timeout: Duration.seconds(1) }))
      .toThrow(/host 'reviews.shop' is a partial name, which Istio does not expand .*write 'reviews.shop.svc.cluster.local'/);
    const ingress = new MeshIngress(c, 'edge', { gateway });
    ingress.addHost('shop.example.com', { httpOnly: true });
    expect(() => ingress.addHost('shop-example.com', { httpOnly: true })).toThrow(/hosts 'shop.example.com' and 'shop-example.com' would name the same Gateway servers/);
    const egress = new MeshEgress(c, 'out');
    egress.addExternalHost({ host: 'api.example.com' });
    expect(() => egress.addExternalHost({ host: 'api-example.com' })).toThrow(/hosts 'api.example.com' and 'api-example.com' would name the same objects/);
    const zt = new ZeroTrustNamespace(c, 'zt');
    zt.allow('x', { to: WorkloadSelector.fromLabels({ app: 'a' }), fromNamespaces: ['a'], name: 'one' });
    expect(() => zt.allow('x', { to: WorkloadSelector.fromLabels({ app: 'b' }), fromNamespaces: ['b'], name: 'two' })).toThrow(/allow\('x'\): the id is already used/);
  });
});

test('an ingress route added before the canary is emitted after the DestinationRule whose subsets it names', () => {
  const { c, ref, canary } = reviews();
  new MeshIngress(c, 'public', { gateway }).addHost('shop.example.com', { httpOnly: true }).addRoute({ service: ref });
  canary();
  const out = synth(c);
  const at = (kind: string, name: string) => out.findIndex(o => o.kind === kind && o.metadata.name === name);
  expect(at('DestinationRule', 'reviews')).toBeLessThan(at('VirtualService', 'public-shop-example-com'));
});
