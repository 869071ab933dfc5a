import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BackendTlsPolicy, CanaryRelease, CanaryVersion, EgressGateway, FaultInjection, GatewayApiChannel, GatewayApiGateway, GatewayApiGrpcRoute,
  GatewayApiHttpRoute, GatewayApiTlsRoute, HeaderMatchType, HttpRouteFilter, IngressGateway, ListenerProtocol, ListenerTlsMode, MeshEgress,
  MeshIngress, ServiceReference, ServiceResilience, StringMatch, TrafficApi,
} from '../../src';
import { ofKind, only } from '../support/synth';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { synthExample } = require('../../scripts/synth-examples');

/** A chart with Bookinfo-like reviews (two versions, one Service selecting both) under `api`. */
function reviewsApp(api: TrafficApi, namespace = 'shop'): { app: App; c: Chart; service: kplus.Service; v1: kplus.Deployment; v2: kplus.Deployment } {
  const app = Testing.app();
  TrafficApi.use(app, api);
  const c = new Chart(app, 'shop', { namespace });
  const version = (v: string) => new kplus.Deployment(c, `reviews-${v}`, {
    select: false,
    podMetadata: { labels: { app: 'reviews', version: v } },
    containers: [{ image: `reviews:${v}`, ports: [{ number: 9080, name: 'http' }] }],
  });
  const v1 = version('v1');
  const v2 = version('v2');
  [v1, v2].forEach((d, i) => d.select(kplus.LabelSelector.of({ labels: { app: 'reviews', version: `v${i + 1}` } })));
  const service = new kplus.Service(c, 'reviews-svc', {
    metadata: { name: 'reviews' },
    selector: kplus.Pods.select(c, 'reviews-pods', { labels: { app: 'reviews' } }),
    ports: [{ port: 9080, name: 'http' }],
  });
  return { app, c, service, v1, v2 };
}

const gatewayApi = TrafficApi.gatewayApi();

describe('Gateway API output', () => {
  test('a canary renders as per-version Services and an HTTPRoute whose parent is the Service (GAMMA); no VirtualService, no subsets', () => {
    const { app, c, service, v1, v2 } = reviewsApp(gatewayApi);
    new CanaryRelease(c, 'reviews', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 20,
      canaryHeaders: { 'end-user': StringMatch.prefix('jas') },
      mirrorPercentage: 5,
      timeout: Duration.seconds(3),
    });
    app.synth();
    const out = Testing.synth(c);
    expect(ofKind(out, 'VirtualService')).toEqual([]);
    expect(ofKind(out, 'DestinationRule')).toEqual([]);
    const versions = ofKind(out, 'Service').filter(s => s.metadata.name !== 'reviews');
    expect(versions.map(s => [s.metadata.name, s.spec.selector])).toEqual([
      ['reviews-v1', { app: 'reviews', version: 'v1' }],
      ['reviews-v2', { app: 'reviews', version: 'v2' }],
    ]);
    const route = only(out, 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
    expect(route.spec.rules[0]).toMatchObject({
      name: 'canary-match',
      matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'end-user', value: 'jas.*' }] }],
      backendRefs: [{ name: 'reviews-v2', port: 9080 }],
    });
    expect(route.spec.rules[1]).toMatchObject({
      name: 'primary',
      backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 80 }, { name: 'reviews-v2', port: 9080, weight: 20 }],
      filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v2', port: 9080 }, percent: 5 } }],
      timeouts: { request: '3s' },
    });
  });

  test('an ingress renders as a Gateway bound to the gateway pods\' Service, an HTTPRoute per host and an HTTP→HTTPS redirect route', () => {
    const { c, service } = reviewsApp(gatewayApi);
    const gw = new IngressGateway(c, 'igw', { namespace: 'istio-ingress' });
    const host = new MeshIngress(c, 'public', { gateway: gw }).addHost('shop.example.com', { credentialName: 'shop-cert' });
    host.addRoute({ path: StringMatch.prefix('/reviews'), service: ServiceReference.fromService(service), rewritePrefix: '/' });
    const out = Testing.synth(c);
    const gateway = out.find(o => o.apiVersion === 'gateway.networking.k8s.io/v1' && o.kind === 'Gateway');
    expect(gateway.spec).toMatchObject({
      gatewayClassName: 'istio',
      addresses: [{ type: 'Hostname', value: 'istio-ingressgateway.istio-ingress.svc.cluster.local' }],
      listeners: [
        { name: 'https-shop-example-com', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { certificateRefs: [{ kind: 'Secret', name: 'shop-cert' }] } },
        { name: 'http-shop-example-com', port: 80, protocol: 'HTTP' },
      ],
    });
    // Routes live in the shop namespace: the listeners admit it by name.
    expect(gateway.spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } } });
    const routes = ofKind(out, 'HTTPRoute');
    const redirect = routes.find(r => r.metadata.name.endsWith('-redirect'));
    expect(redirect.spec.rules).toEqual([{ matches: undefined, filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }].map(r => JSON.parse(JSON.stringify(r))));
    const main = routes.find(r => r.metadata.name === 'public-shop-example-com');
    expect(main.spec).toMatchObject({
      parentRefs: [{ name: 'public', namespace: 'istio-ingress', sectionName: 'https-shop-example-com' }],
      hostnames: ['shop.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/reviews' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
        backendRefs: [{ name: 'reviews', port: 9080 }],
      }],
    });
    expect(ofKind(out, 'ReferenceGrant')).toEqual([]);
  });

  test('a route to a Service in another namespace comes with that namespace\'s ReferenceGrant', () => {
    const { app, service } = reviewsApp(gatewayApi);
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    const gw = new IngressGateway(edge, 'igw', { namespace: 'edge' });
    new MeshIngress(edge, 'public', { gateway: gw }).addHost('shop.example.com', { credentialName: 'shop-cert' })
      .addRoute({ service: ServiceReference.fromService(service) });
    const grant = only(Testing.synth(edge), 'ReferenceGrant');
    expect(grant).toMatchObject({
      apiVersion: 'gateway.networking.k8s.io/v1beta1',
      metadata: { namespace: 'shop' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }], to: [{ group: '', kind: 'Service' }] },
    });
  });

  test('the host\'s traffic policy reaches every version\'s host (each version is a Service of its own)', () => {
    const { c, service, v1, v2 } = reviewsApp(gatewayApi);
    new ServiceResilience(c, 'breaker', { service: ServiceReference.fromService(service), circuitBreaker: { consecutive5xxErrors: 3 } });
    new CanaryRelease(c, 'reviews', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 10,
    });
    const rules = ofKind(Testing.synth(c), 'DestinationRule');
    expect(rules.map(r => [r.spec.host, r.spec.trafficPolicy.outlierDetection.consecutive5xxErrors])).toEqual([
      ['reviews.shop.svc.cluster.local', 3], ['reviews-v1.shop.svc.cluster.local', 3], ['reviews-v2.shop.svc.cluster.local', 3],
    ]);
  });

  test('an exact path rewrites the whole path; the any-host ingress names no hostname', () => {
    const { c, service } = reviewsApp(gatewayApi);
    const ingress = new MeshIngress(c, 'public', { gateway: new IngressGateway(c, 'igw') });
    ingress.addHost('*', { credentialName: 'cert' }).addRoute({ path: StringMatch.exact('/login'), service: ServiceReference.fromService(service), rewritePrefix: '/auth/login' });
    const out = Testing.synth(c);
    const gateway = out.find(o => o.apiVersion === 'gateway.networking.k8s.io/v1' && o.kind === 'Gateway');
    expect(gateway.spec.listeners.map((l: any) => l.hostname)).toEqual([undefined, undefined]);
    const route = out.find(o => o.kind === 'HTTPRoute' && !o.metadata.name.endsWith('-redirect'));
    expect(route.spec.hostnames).toBeUndefined();
    expect(route.spec.rules[0].filters).toEqual([{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/auth/login' } } }]);
  });

  test('a host outside the cluster is not taken for a Service; the API is fixed once an ingress exists', () => {
    const { c } = reviewsApp(gatewayApi);
    const host = new MeshIngress(c, 'public', { gateway: new IngressGateway(c, 'igw') }).addHost('a.example.com', { credentialName: 'cert' });
    expect(() => host.addRoute({ service: ServiceReference.fromHost('httpbin.org', 80) })).toThrow(/routes to 'httpbin.org', which is not a Kubernetes Service/);
    const app = Testing.app();
    const chart = new Chart(app, 'x');
    new MeshIngress(chart, 'i', { gateway: new IngressGateway(chart, 'g') });
    expect(() => TrafficApi.use(chart, gatewayApi)).toThrow(/after 'x\/i' rendered its routes/);
  });

  test('retries.retryRemoteLocalities has no Gateway API form', () => {
    const x = reviewsApp(TrafficApi.gatewayApi({ channel: GatewayApiChannel.EXPERIMENTAL }));
    expect(() => new ServiceResilience(x.c, 'r', { service: ServiceReference.fromService(x.service), retries: { attempts: 2, retryRemoteLocalities: true } }))
      .toThrow(/retries.retryRemoteLocalities: Gateway API cannot express it/);
  });

  test('retries are experimental: an error under standard, HTTPRoute retry under experimental', () => {
    const standard = reviewsApp(gatewayApi);
    expect(() => new ServiceResilience(standard.c, 'r', { service: ServiceReference.fromService(standard.service), retries: { attempts: 3 } }))
      .toThrow(/ServiceResilience 'shop\/r': retries: it is only in Gateway API's experimental channel, and the app targets Gateway API 1.5.1 \(standard channel\)/);
    const exp = reviewsApp(TrafficApi.gatewayApi({ channel: GatewayApiChannel.EXPERIMENTAL }));
    new ServiceResilience(exp.c, 'r', { service: ServiceReference.fromService(exp.service), retries: { attempts: 3, perTryTimeout: Duration.seconds(1) } });
    expect(only(Testing.synth(exp.c), 'HTTPRoute').spec.rules[0]).toMatchObject({ retry: { attempts: 3 }, timeouts: { backendRequest: '1s' } });
  });

  test.each([
    ['fault injection', (x: ReturnType<typeof reviewsApp>) => new FaultInjection(x.c, 'f', { service: ServiceReference.fromService(x.service), delay: Duration.seconds(7) }),
      /FaultInjection 'shop\/f': fault injection: Gateway API cannot express it. Render this host with Istio's classic API/],
    ['a sticky canary', (x: ReturnType<typeof reviewsApp>) => new CanaryRelease(x.c, 'c', {
      service: ServiceReference.fromService(x.service), stable: CanaryVersion.fromWorkload(x.v1), canary: CanaryVersion.fromWorkload(x.v2), canaryWeight: 10, stickyCookie: 'canary',
    }), /CanaryRelease 'shop\/c': headers set on one destination \(e.g. a sticky canary's cookie\): Gateway API cannot express it/],
    ['a fractional mirror', (x: ReturnType<typeof reviewsApp>) => new CanaryRelease(x.c, 'c', {
      service: ServiceReference.fromService(x.service),
      stable: CanaryVersion.fromWorkload(x.v1),
      canary: CanaryVersion.fromWorkload(x.v2),
      mirrorPercentage: 0.5,
    }), /mirroring 0.5% \(Gateway API mirrors whole percents\)/],
    ['retries on chosen conditions', (x: ReturnType<typeof reviewsApp>) => new ServiceResilience(x.c, 'r', {
      service: ServiceReference.fromService(x.service), retries: { attempts: 2, retryOn: ['5xx'] },
    }), /retries: it is only in Gateway API's experimental channel/],
    ['client certificates at the ingress', (x: ReturnType<typeof reviewsApp>) => new MeshIngress(x.c, 'i', { gateway: new IngressGateway(x.c, 'g') })
      .addHost('a.example.com', { credentialName: 'cert', mutualTls: true }), /mutualTls \(client certificates\) on an ingress host: Gateway API cannot express it/],
    ['a canary of a host without its Service', (x: ReturnType<typeof reviewsApp>) => new CanaryRelease(x.c, 'c', {
      service: ServiceReference.fromHost('reviews.shop.svc.cluster.local', 9080), stable: CanaryVersion.fromLabels({ version: 'v1' }), canary: CanaryVersion.fromLabels({ version: 'v2' }),
    }), /Gateway API has no subsets: each version .* becomes a Service of its own, made from the host's Service. Reference the Service itself/],
  ])('%s is a synth error naming the construct and the way out', (_name, make, error) => {
    const x = reviewsApp(gatewayApi);
    expect(() => make(x)).toThrow(error);
  });

  test('retries with chosen conditions stay an error under experimental (Gateway API retries name status codes)', () => {
    const x = reviewsApp(TrafficApi.gatewayApi({ channel: GatewayApiChannel.EXPERIMENTAL }));
    expect(() => new ServiceResilience(x.c, 'r', { service: ServiceReference.fromService(x.service), retries: { attempts: 2, retryOn: ['5xx'] } }))
      .toThrow(/retryOn '5xx': Gateway API cannot express it. Gateway API retries name status codes only/);
  });

  test('the API is chosen once, before intents; one Gateway API install per app', () => {
    const { app, c, service } = reviewsApp(gatewayApi);
    expect(() => TrafficApi.use(app, TrafficApi.istio())).toThrow(/already renders traffic to Gateway API 1.5.1/);
    new ServiceResilience(c, 'r', { service: ServiceReference.fromService(service), timeout: Duration.seconds(1) });
    const late = new Chart(app, 'late');
    expect(() => TrafficApi.use(late, TrafficApi.istio())).not.toThrow();
    expect(() => TrafficApi.use(c, TrafficApi.istio())).toThrow(/after 'shop\/.*' rendered its routes; call it before adding intents/);
    expect(() => TrafficApi.gatewayApi({ version: '0.8.0' })).toThrow(/version '0.8.0' is not one whose CRDs this library carries \(1.5.1\)/);
    const two = Testing.app();
    TrafficApi.use(new Chart(two, 'a'), TrafficApi.gatewayApi());
    TrafficApi.use(new Chart(two, 'b'), TrafficApi.gatewayApi({ channel: GatewayApiChannel.EXPERIMENTAL }));
    new GatewayApiHttpRoute(two.node.findChild('a') as Chart, 'r', { parentRefs: [{ kind: 'Service', name: 'web', port: 80 }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    expect(() => two.synth()).toThrow(/the app's charts target different Gateway API CRDs/);
  });

  test('a VirtualService and an HTTPRoute routing one host is an analysis error (CDK8SISTIO018)', () => {
    const app = Testing.app();
    const classic = new Chart(app, 'classic', { namespace: 'shop' });
    new ServiceResilience(classic, 'r', { service: ServiceReference.fromHost('reviews.shop.svc.cluster.local', 9080), timeout: Duration.seconds(1) });
    const gapi = new Chart(app, 'gapi', { namespace: 'shop' });
    new GatewayApiHttpRoute(gapi, 'route', { parentRefs: [{ kind: 'Service', name: 'reviews', port: 9080 }], rules: [{ backendRefs: [{ name: 'reviews', port: 9080 }] }] });
    expect(() => app.synth()).toThrow(/CDK8SISTIO018 HTTPRoute shop\/.*routes mesh traffic to reviews.shop.svc.cluster.local, which VirtualService shop\/reviews routes too/);
  });
});

describe('Gateway API resources', () => {
  test('checked eagerly', () => {
    const c = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    expect(() => new GatewayApiGateway(c, 'g1', { listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS }] }))
      .toThrow(/listeners\[0\] terminates TLS but names no certificate/);
    const gw = new GatewayApiGateway(c, 'g2', { listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }] });
    expect(() => gw.addListener({ name: 'http', port: 81, protocol: ListenerProtocol.HTTP })).toThrow(/'http' is already a listener/);
    const parentRefs = [{ kind: 'Service', name: 'web', port: 80 }];
    expect(() => new GatewayApiHttpRoute(c, 'r1', { parentRefs, hostnames: ['a.example.com'], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }))
      .toThrow(/hostnames on a route whose parents are Services/);
    expect(() => new GatewayApiHttpRoute(c, 'r2', { parentRefs, rules: [{ backendRefs: [{ name: 'web', port: 80, weight: -1 }] }] }))
      .toThrow(/rules\[0\].backendRefs\[0\].weight must be a whole number from 0 to 1,000,000, got -1/);
    const redirect = HttpRouteFilter.requestRedirect({ scheme: 'https' });
    expect(() => new GatewayApiHttpRoute(c, 'r3', { parentRefs, rules: [{ filters: [redirect], backendRefs: [{ name: 'web', port: 80 }] }] }))
      .toThrow(/redirects and has backendRefs/);
    expect(() => new GatewayApiHttpRoute(c, 'r4', { parentRefs, rules: [{}] })).toThrow(/has no backendRefs and no redirect/);
  });

  test('GRPCRoute, TLSRoute and BackendTLSPolicy: typed, checked, and accepted by the standard channel\'s CRDs', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new GatewayApiGrpcRoute(c, 'greeter', {
      parentRefs: [{ kind: 'Service', name: 'greeter', port: 50051 }],
      rules: [{ matches: [{ service: 'helloworld.Greeter', method: 'SayHello', headers: [{ name: 'x-tenant', value: 'a' }] }], backendRefs: [{ name: 'greeter-v2', port: 50051 }] }],
    });
    new GatewayApiGateway(c, 'edge', { listeners: [{ name: 'tls', port: 443, protocol: ListenerProtocol.TLS, tls: { mode: ListenerTlsMode.PASSTHROUGH } }] });
    new GatewayApiTlsRoute(c, 'db', { parentRefs: [{ name: 'edge', sectionName: 'tls' }], hostnames: ['db.example.com'], backendRefs: [{ name: 'db', port: 5432 }] });
    new BackendTlsPolicy(c, 'payments', { services: ['payments'], hostname: 'payments.example.com', useSystemCertificates: true });
    const out = Testing.synth(c);
    expect(out.find(o => o.kind === 'GRPCRoute').spec.rules[0].matches[0]).toEqual({
      method: { type: 'Exact', service: 'helloworld.Greeter', method: 'SayHello' },
      headers: [{ type: 'Exact', name: 'x-tenant', value: 'a' }],
    });
    expect(out.find(o => o.kind === 'TLSRoute').spec.rules).toEqual([{ backendRefs: [{ name: 'db', port: 5432 }] }]);
    expect(out.find(o => o.kind === 'BackendTLSPolicy').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'payments' }],
      validation: { hostname: 'payments.example.com', wellKnownCACertificates: 'System' },
    });
    expect(() => new GatewayApiGrpcRoute(c, 'bad', { parentRefs: [{ kind: 'Service', name: 'g', port: 1 }], rules: [{ matches: [{ service: 'not a service' }], backendRefs: [{ name: 'g', port: 1 }] }] }))
      .toThrow(/service 'not a service' is not a gRPC service name/);
    expect(() => new BackendTlsPolicy(c, 'bad-policy', { services: ['x'], hostname: 'x.example.com' })).toThrow(/set exactly one of caCertificateConfigMaps and useSystemCertificates/);
    expect(() => new GatewayApiTlsRoute(c, 'bad-route', { parentRefs: [{ name: 'edge' }], hostnames: [], backendRefs: [{ name: 'db', port: 5432 }] })).toThrow(/hostnames is empty/);
  });

  test('judged by the CRDs of the targeted channel: an experimental field (or a typo) added by a patch fails under standard', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const route = new GatewayApiHttpRoute(c, 'r', { parentRefs: [{ kind: 'Service', name: 'web', port: 80 }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] });
    route.addJsonPatch(JsonPatch.add('/spec/rules/0/retry', { attempts: 2 }));
    expect(() => app.synth()).toThrow(/CDK8SISTIO004 HTTPRoute .*Gateway API 1.5.1 \(standard channel\) CRD schema\): unknown fields \[spec.rules\[0\].retry\]/);
  });
});

describe('the two forms of one program', () => {
  test('promise the same requests, the same versions (subset ↔ version Service) and the same outcomes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-api-forms-'));
    try {
      const load = (name: string) => {
        synthExample(name, path.join(dir, name));
        return JSON.parse(fs.readFileSync(path.join(dir, `${name}.expectations.json`), 'utf8')).expectations;
      };
      const classic = load('routing-istio');
      const gapi = load('routing-gateway-api');
      const asVersions = (e: any) => JSON.parse(JSON.stringify(e).replace(/reviews-(v\d)\.bookinfo\.svc\.cluster\.local/g, '$1'));
      expect(gapi.map((e: any) => e.request)).toEqual(classic.map((e: any) => e.request));
      const strip = (e: any) => ({ ...e, expect: { ...e.expect, host: undefined } });
      expect(gapi.map(asVersions).map(strip)).toEqual(classic.map(strip));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TLS passthrough ingress', () => {
  /** A Service terminating TLS itself on 8443 (two ports, so the reference names one). */
  function tlsService(c: Chart): kplus.Service {
    return new kplus.Service(c, 'vault-svc', {
      metadata: { name: 'vault' },
      selector: kplus.Pods.select(c, 'vault-pods', { labels: { app: 'vault' } }),
      ports: [{ port: 8443, name: 'tls' }, { port: 8080, name: 'http' }],
    });
  }

  test('classic: a PASSTHROUGH server and a VirtualService tls route by SNI', () => {
    const { app, c } = reviewsApp(TrafficApi.istio());
    const vault = tlsService(c);
    const gw = new IngressGateway(c, 'igw', { namespace: 'istio-ingress' });
    const ingress = new MeshIngress(c, 'public', { gateway: gw });
    const handle = ingress.addPassthroughHost('vault.example.com', { service: ServiceReference.fromService(vault, 8443) });
    app.synth();
    const out = Testing.synth(c);
    expect(only(out, 'Gateway').spec.servers).toEqual([
      { port: { number: 443, protocol: 'TLS', name: 'tls-vault-example-com' }, hosts: ['vault.example.com'], tls: { mode: 'PASSTHROUGH' }, name: 'tls-vault-example-com' },
    ].map(s => expect.objectContaining(s)));
    expect(only(out, 'VirtualService').spec).toEqual({
      hosts: ['vault.example.com'],
      gateways: ['istio-ingress/public'],
      tls: [{ match: [{ port: 443, sniHosts: ['vault.example.com'] }], route: [{ destination: { host: 'vault.shop.svc.cluster.local', port: { number: 8443 } } }] }],
    });
    expect(handle.serviceHost).toBe('vault.shop.svc.cluster.local');
  });

  test('Gateway API: a TLS listener in Passthrough mode and a TLSRoute, with a ReferenceGrant for a Service elsewhere', () => {
    const { app, c } = reviewsApp(gatewayApi);
    const vault = tlsService(c);
    const edge = new Chart(app, 'edge', { namespace: 'edge' });
    const gw = new IngressGateway(edge, 'igw', { namespace: 'edge' });
    new MeshIngress(edge, 'public', { gateway: gw }).addPassthroughHost('*.vault.example.com', { service: ServiceReference.fromService(vault, 8443) });
    app.synth();
    const out = Testing.synth(edge);
    const gateway = out.find(o => o.apiVersion === 'gateway.networking.k8s.io/v1' && o.kind === 'Gateway');
    expect(gateway.spec.listeners).toEqual([{ name: 'tls-wildcard-vault-example-com', port: 443, protocol: 'TLS', hostname: '*.vault.example.com', tls: { mode: 'Passthrough' } }]);
    expect(only(out, 'TLSRoute').spec).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'tls-wildcard-vault-example-com' }],
      hostnames: ['*.vault.example.com'],
      rules: [{ backendRefs: [{ name: 'vault', namespace: 'shop', port: 8443 }] }],
    });
    expect(only(out, 'ReferenceGrant').spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute', namespace: 'edge' }],
      to: [{ group: '', kind: 'Service', name: 'vault' }],
    });
    expect(ofKind(out, 'VirtualService')).toEqual([]);
  });

  test('errors: no SNI name, no TLS port, a port the gateway lacks, a host added twice, HTTP routing it would bypass', () => {
    const { app, c, service, v1, v2 } = reviewsApp(TrafficApi.istio());
    const vault = tlsService(c);
    const gw = new IngressGateway(c, 'igw', { namespace: 'istio-ingress' });
    const ingress = new MeshIngress(c, 'public', { gateway: gw });
    const ref = ServiceReference.fromService(vault, 8443);
    expect(() => ingress.addPassthroughHost('*', { service: ref })).toThrow(/routed by the SNI its clients send: name it/);
    expect(() => ingress.addPassthroughHost('a.example.com', { service: ServiceReference.fromHost('db.shop.svc.cluster.local') })).toThrow(/name the port that speaks TLS/);
    expect(() => ingress.addPassthroughHost('b.example.com', { service: ref, port: 5432 })).toThrow(/exposes no Service port 5432/);
    ingress.addPassthroughHost('shop.example.com', { service: ServiceReference.fromService(service) });
    expect(() => ingress.addHost('shop.example.com', { credentialName: 'x' })).toThrow(/already added/);
    new CanaryRelease(c, 'reviews', { service: ServiceReference.fromService(service), stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2), canaryWeight: 10 });
    expect(() => app.synth()).toThrow(/'reviews.shop.svc.cluster.local' has HTTP routing \(CanaryRelease '.*reviews'\), which the gateway cannot apply to TLS it passes through/);
  });
});

describe('a gateway Istio deploys for the Gateway', () => {
  test('leaving gateway out: a Gateway with no address in `namespace`; policies select the pods Istio labels with its name, on the listener port', () => {
    const { app, c, service } = reviewsApp(gatewayApi);
    const ingress = new MeshIngress(c, 'public', { namespace: 'edge' });
    ingress.addHost('shop.example.com', { credentialName: 'shop-cert', jwt: { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks' }] } })
      .addRoute({ service: ServiceReference.fromService(service) });
    app.synth();
    const out = Testing.synth(c);
    const gateway = out.find(o => o.apiVersion === 'gateway.networking.k8s.io/v1' && o.kind === 'Gateway');
    expect(gateway.metadata).toMatchObject({ name: 'public', namespace: 'edge' });
    expect(gateway.spec.addresses).toBeUndefined();
    expect(ingress.gatewayWorkload).toMatchObject({ name: 'public-istio', namespace: 'edge', serviceHost: 'public-istio.edge.svc.cluster.local' });
    const deny = out.find(o => o.kind === 'AuthorizationPolicy');
    expect(deny.metadata.namespace).toBe('edge');
    expect(deny.spec.selector).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } });
    expect(deny.spec.rules[0].to[0].operation.ports).toEqual(['443']);
  });

  test('errors: classic API without gateway pods, a namespace next to a gateway, a name too long for Istio\'s Deployment', () => {
    const classic = reviewsApp(TrafficApi.istio());
    expect(() => new MeshIngress(classic.c, 'public')).toThrow(/gateway is required with Istio's classic API .* With Gateway API \(TrafficApi.gatewayApi\(\)\) it may be left out/);
    const { c } = reviewsApp(gatewayApi);
    const gw = new IngressGateway(c, 'igw', { namespace: 'istio-ingress' });
    expect(() => new MeshIngress(c, 'a', { gateway: gw, namespace: 'edge' })).toThrow(/namespace "edge" is for the pods Istio deploys|namespace 'edge' is for the pods Istio deploys/);
    expect(() => new MeshIngress(c, 'b', { name: 'x'.repeat(60) })).toThrow(/its Deployment and Service would be 'x+-istio', and a Service name is at most 63/);
    expect(() => new MeshIngress(c, 'd', { name: 'shop.example' })).toThrow(/cannot name the gateway Istio deploys: .* 'shop.example-istio'/);
    expect(() => new MeshIngress(c, 'e', { name: '1shop' })).toThrow(/starting with a letter/);
  });
});

describe('gRPC services (Gateway API)', () => {
  /** reviewsApp with the port speaking gRPC (by name or appProtocol). */
  function grpcApp(port: { name: string; appProtocol?: string }) {
    const r = reviewsApp(gatewayApi);
    const service = new kplus.Service(r.c, 'greeter-svc', {
      metadata: { name: 'greeter' },
      selector: kplus.Pods.select(r.c, 'greeter-pods', { labels: { app: 'reviews' } }),
      ports: [{ port: 50051, name: port.name }],
    });
    // cdk8s-plus has no appProtocol: set as a user would, by a patch.
    if (port.appProtocol) ApiObject.of(service).addJsonPatch(JsonPatch.add('/spec/ports/0/appProtocol', port.appProtocol));
    return { ...r, service };
  }

  test('a canary on a port named grpc renders as a GRPCRoute: header matches, weights, mirror; no HTTPRoute', () => {
    const { app, c, service, v1, v2 } = grpcApp({ name: 'grpc-api' });
    const canary = new CanaryRelease(c, 'greeter', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 10,
      canaryHeaders: { 'x-canary': StringMatch.prefix('yes') },
      mirrorPercentage: 5,
    });
    app.synth();
    const out = Testing.synth(c);
    expect(ofKind(out, 'HTTPRoute')).toEqual([]);
    const route = only(out, 'GRPCRoute');
    expect(canary.grpcRoute).toBeDefined();
    expect(canary.httpRoute).toBeUndefined();
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'greeter' }]);
    expect(route.spec.rules).toEqual([
      { name: 'canary-match', matches: [{ headers: [{ type: 'RegularExpression', name: 'x-canary', value: 'yes.*' }] }], backendRefs: [{ name: 'greeter-v2', port: 50051 }] },
      {
        name: 'primary',
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'greeter-v2', port: 50051 }, percent: 5 } }],
        backendRefs: [{ name: 'greeter-v1', port: 50051, weight: 90 }, { name: 'greeter-v2', port: 50051, weight: 10 }],
      },
    ]);
  });

  test('appProtocol decides before the name, as in Istio', () => {
    const grpc = grpcApp({ name: 'http', appProtocol: 'grpc' });
    new CanaryRelease(grpc.c, 'g', { service: ServiceReference.fromService(grpc.service), stable: CanaryVersion.fromWorkload(grpc.v1), canary: CanaryVersion.fromWorkload(grpc.v2), canaryWeight: 10 });
    expect(ofKind(Testing.synth(grpc.c), 'GRPCRoute')).toHaveLength(1);
    const http = grpcApp({ name: 'grpc', appProtocol: 'http' });
    new CanaryRelease(http.c, 'g', { service: ServiceReference.fromService(http.service), stable: CanaryVersion.fromWorkload(http.v1), canary: CanaryVersion.fromWorkload(http.v2), canaryWeight: 10 });
    expect(ofKind(Testing.synth(http.c), 'GRPCRoute')).toEqual([]);
  });

  test('a rule GRPCRoute has no field for (a timeout) makes the host an HTTPRoute, which Istio applies to gRPC too; constructs follow the route', () => {
    const { app, c, service, v1, v2 } = grpcApp({ name: 'grpc' });
    const canary = new CanaryRelease(c, 'greeter', { service: ServiceReference.fromService(service), stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2), canaryWeight: 10 });
    expect(canary.grpcRoute).toBeDefined();
    new ServiceResilience(c, 'slow', { service: ServiceReference.fromService(service), timeout: Duration.seconds(2) });
    app.synth();
    const out = Testing.synth(c);
    expect(ofKind(out, 'GRPCRoute')).toEqual([]);
    expect(only(out, 'HTTPRoute').spec.rules[0]).toMatchObject({ name: 'primary', timeouts: { request: '2s' } });
    expect(canary.grpcRoute).toBeUndefined();
    expect(canary.node.defaultChild).toBe(canary.httpRoute);
  });

  test('a Service whose ports are set after the intent does not crash it (its route is an HTTPRoute)', () => {
    const { app, c, v1, v2 } = reviewsApp(gatewayApi);
    const late = new kplus.Service(c, 'late-svc', { metadata: { name: 'late' }, selector: kplus.Pods.select(c, 'late-pods', { labels: { app: 'reviews' } }) });
    new CanaryRelease(c, 'late', { service: ServiceReference.fromService(late, 50051), stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2), canaryWeight: 10 });
    late.bind(50051, { name: 'grpc' });
    app.synth();
    expect(ofKind(Testing.synth(c), 'HTTPRoute')).toHaveLength(1);
  });

  test('the L2 GRPCRoute: typed header matches and filters; a rewrite is not a GRPCRoute filter', () => {
    const c = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    const route = new GatewayApiGrpcRoute(c, 'g', {
      parentRefs: [{ kind: 'Service', name: 'greeter', port: 50051 }],
      rules: [{
        name: 'v2',
        matches: [{ service: 'helloworld.Greeter', headers: [{ name: 'x-user', value: 'a.*', type: HeaderMatchType.REGULAR_EXPRESSION }] }],
        filters: [HttpRouteFilter.requestHeaderModifier({ set: { 'x-via': 'mesh' } })],
        backendRefs: [{ name: 'greeter-v2', port: 50051 }],
      }],
    });
    expect(route.toJson().spec.rules[0]).toEqual({
      name: 'v2',
      matches: [{ method: { type: 'Exact', service: 'helloworld.Greeter' }, headers: [{ type: 'RegularExpression', name: 'x-user', value: 'a.*' }] }],
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-via', value: 'mesh' }] } }],
      backendRefs: [{ name: 'greeter-v2', port: 50051 }],
    });
    expect(() => route.addRule({ filters: [HttpRouteFilter.urlRewrite({ replaceFullPath: '/x' })], backendRefs: [{ name: 'g', port: 1 }] }))
      .toThrow(/rules\[1\].filters\[0\] is a URLRewrite filter, which a GRPCRoute does not have/);
    expect(() => route.addRule({ matches: [{ headers: [{ name: 'x', value: '(', type: HeaderMatchType.REGULAR_EXPRESSION }] }], backendRefs: [{ name: 'g', port: 1 }] }))
      .toThrow(/headers\[0\].value/);
  });
});

describe('MeshEgress (Gateway API)', () => {
  test('through the egress gateway: TLSRoutes (passthrough), HTTPRoutes + an ISTIO_MUTUAL listener (origination); parents: ServiceEntries, the Gateway', () => {
    const app = Testing.app();
    TrafficApi.use(app, gatewayApi);
    const gws = new Chart(app, 'gws', { namespace: 'istio-egress' });
    const egressGateway = new EgressGateway(gws, 'egw', { namespace: 'istio-egress' });
    const c = new Chart(app, 'apps', { namespace: 'apps' });
    const egress = new MeshEgress(c, 'external', { egressGateway });
    egress.addExternalHost({ host: 'edition.cnn.com' });
    egress.addExternalHost({ host: 'httpbin.org', originateTls: true });
    app.synth();
    const out = Testing.synth(c);
    expect(ofKind(out, 'VirtualService')).toEqual([]);
    const gateway = out.find(o => o.apiVersion === 'gateway.networking.k8s.io/v1' && o.kind === 'Gateway');
    expect(gateway.metadata).toEqual({ name: 'external', namespace: 'istio-egress' });
    const admitApps = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } } };
    expect(gateway.spec.listeners).toEqual([
      { name: 'tls-edition-cnn-com', port: 443, protocol: 'TLS', hostname: 'edition.cnn.com', tls: { mode: 'Passthrough' }, allowedRoutes: admitApps },
      { name: 'mesh-http', port: 80, protocol: 'HTTPS', tls: { mode: 'Terminate', options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } }, allowedRoutes: admitApps },
    ]);
    const tls = Object.fromEntries(ofKind(out, 'TLSRoute').map(r => [r.metadata.name, r.spec]));
    expect(tls['edition-cnn-com-to-egress']).toEqual({
      parentRefs: [{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'edition-cnn-com' }],
      hostnames: ['edition.cnn.com'],
      rules: [{ backendRefs: [{ name: 'istio-egressgateway', namespace: 'istio-egress', port: 443 }] }],
    });
    expect(tls['edition-cnn-com-from-egress'].rules).toEqual([{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'edition.cnn.com', port: 443 }] }]);
    const http = Object.fromEntries(ofKind(out, 'HTTPRoute').map(r => [r.metadata.name, r.spec]));
    expect(http['httpbin-org-to-egress'].parentRefs).toEqual([{ group: 'networking.istio.io', kind: 'ServiceEntry', name: 'httpbin-org', port: 80 }]);
    expect(http['httpbin-org-from-egress']).toMatchObject({ parentRefs: [{ name: 'external', namespace: 'istio-egress', sectionName: 'mesh-http' }], hostnames: ['httpbin.org'] });
    expect(ofKind(out, 'ReferenceGrant').map(g => g.spec.from[0].kind).sort()).toEqual(['HTTPRoute', 'TLSRoute']);
    expect(egress.routes).toHaveLength(4);
    const rules = Object.fromEntries(ofKind(out, 'DestinationRule').map(r => [r.metadata.name, r.spec]));
    expect(rules['external-gateway'].trafficPolicy).toEqual({ portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL' } }] });
    expect(rules['httpbin-org'].trafficPolicy.portLevelSettings[0].tls).toMatchObject({ mode: 'SIMPLE', sni: 'httpbin.org' });
  });

  test('direct egress (no gateway) renders the same ServiceEntries and DestinationRules as with the classic API', () => {
    const render = (api: TrafficApi) => {
      const app = Testing.app();
      TrafficApi.use(app, api);
      const c = new Chart(app, 'apps', { namespace: 'apps' });
      new MeshEgress(c, 'direct', { registryOnly: true }).addExternalHost({ host: 'api.github.com', originateTls: true });
      return Testing.synth(c);
    };
    expect(render(gatewayApi)).toEqual(render(TrafficApi.istio()));
  });
});

describe('Gateway API: what would conflict on one port is refused', () => {
  test('two MeshEgress originating TLS at one egress gateway; a passthrough port that an HTTP listener has; Hostname backends with a namespace', () => {
    const app = Testing.app();
    TrafficApi.use(app, gatewayApi);
    const c = new Chart(app, 'apps', { namespace: 'apps' });
    const egressGateway = new EgressGateway(c, 'egw', { namespace: 'apps' });
    new MeshEgress(c, 'a', { egressGateway }).addExternalHost({ host: 'a.example.com', originateTls: true });
    new MeshEgress(c, 'b', { egressGateway }).addExternalHost({ host: 'b.example.com', originateTls: true });
    expect(() => app.synth()).toThrow(/MeshEgress 'apps\/a' and MeshEgress 'apps\/b' both originate TLS at egress gateway .* Register those hosts in one MeshEgress/);

    const x = reviewsApp(gatewayApi);
    const ingress = new MeshIngress(x.c, 'edge', { namespace: 'edge' });
    ingress.addHost('shop.example.com', { credentialName: 'c' }).addRoute({ service: ServiceReference.fromService(x.service) });
    expect(() => ingress.addPassthroughHost('db.example.com', { service: ServiceReference.fromService(x.service), port: 80 }))
      .toThrow(/\(TLS\) shares port 80 with listener 'http-shop-example-com' \(HTTP\); one port carries one kind of traffic/);
    expect(() => new GatewayApiTlsRoute(x.c, 'r', {
      parentRefs: [{ name: 'edge' }],
      hostnames: ['a.example.com'],
      backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'a.example.com', namespace: 'x', port: 443 }],
    })).toThrow(/a Hostname backend has no namespace/);
    expect(() => new GatewayApiTlsRoute(x.c, 's', {
      parentRefs: [{ name: 'edge' }],
      hostnames: ['a.example.com'],
      backendRefs: [{ kind: 'hostname', name: 'a.example.com', port: 443 }],
    })).toThrow(/kind must be 'Service' or Istio's 'Hostname' \(case matters\), got 'hostname'/);
  });

  test('a JWT host leaves TLS passed through on its port alone: the DENY exempts the passthrough SNIs (any MeshIngress on the same pods)', () => {
    const { app, c, service } = reviewsApp(TrafficApi.istio());
    const gateway = new IngressGateway(c, 'igw', { namespace: 'istio-ingress' });
    new MeshIngress(c, 'api', { gateway }).addHost('api.example.com', { credentialName: 'api', jwt: { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks' }] } })
      .addRoute({ service: ServiceReference.fromService(service) });
    new MeshIngress(c, 'db', { gateway }).addPassthroughHost('*.db.example.com', { service: ServiceReference.fromService(service) });
    app.synth();
    const deny = ofKind(Testing.synth(c), 'AuthorizationPolicy').find(p => p.spec.action === 'DENY');
    expect(deny.spec.rules[0].when).toEqual([{ key: 'connection.sni', notValues: ['*.db.example.com'] }]);
  });
});

test('classic: a passthrough host on the HTTP redirect port is refused, naming the clash', () => {
  const { c, service } = reviewsApp(TrafficApi.istio());
  const ingress = new MeshIngress(c, 'edge', { gateway: new IngressGateway(c, 'igw', { namespace: 'istio-ingress' }) });
  ingress.addHost('shop.example.com', { credentialName: 'c' });
  expect(() => ingress.addPassthroughHost('db.example.com', { service: ServiceReference.fromService(service), port: 80 }))
    .toThrow(/\(TLS\) shares port 80 with a HTTP server; one port carries one kind of traffic/);
});

test('a passthrough wildcard covering a JWT host on its port is refused (its SNI would be exempt from the token policy)', () => {
  const { app, c, service } = reviewsApp(TrafficApi.istio());
  const gateway = new IngressGateway(c, 'igw', { namespace: 'istio-ingress' });
  const jwt = { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks' }] };
  new MeshIngress(c, 'api', { gateway }).addHost('API.example.com', { credentialName: 'api', jwt }).addRoute({ service: ServiceReference.fromService(service) });
  new MeshIngress(c, 'db', { gateway }).addPassthroughHost('*.example.com', { service: ServiceReference.fromService(service) });
  expect(() => app.synth()).toThrow(/host 'API.example.com' requires a JWT, but the passthrough host '\*.example.com' on the same gateway port covers its name/);
});

test('switching a gRPC host to an HTTPRoute keeps the labels and annotations written on its GRPCRoute, and refuses to drop patches', () => {
  const make = () => {
    const r = reviewsApp(gatewayApi);
    const greeter = new kplus.Service(r.c, 'greeter-svc', {
      metadata: { name: 'greeter' }, selector: kplus.Pods.select(r.c, 'greeter-pods', { labels: { app: 'reviews' } }), ports: [{ port: 50051, name: 'grpc' }],
    });
    const canary = new CanaryRelease(r.c, 'greeter', { service: ServiceReference.fromService(greeter), stable: CanaryVersion.fromWorkload(r.v1), canary: CanaryVersion.fromWorkload(r.v2), canaryWeight: 10 });
    return { ...r, greeter, canary };
  };
  const kept = make();
  kept.canary.grpcRoute!.metadata.addAnnotation('team', 'payments');
  new ServiceResilience(kept.c, 'slow', { service: ServiceReference.fromService(kept.greeter), timeout: Duration.seconds(2) });
  kept.app.synth();
  expect(only(Testing.synth(kept.c), 'HTTPRoute').metadata.annotations).toEqual({ team: 'payments' });
  const patched = make();
  ApiObject.of(patched.canary.grpcRoute!).addJsonPatch(JsonPatch.add('/metadata/labels', { x: 'y' }));
  expect(() => new ServiceResilience(patched.c, 'slow', { service: ServiceReference.fromService(patched.greeter), timeout: Duration.seconds(2) }))
    .toThrow(/the GRPCRoute of 'greeter.shop.svc.cluster.local' must become an HTTPRoute .* carries JSON patches of yours, which would be lost/);
});
