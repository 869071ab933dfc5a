import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryRelease, CanaryVersion, DataPlane, DataPlaneMode, DeniedRequests, FaultInjection, IstioControlPlane, IstioProfile, JwtProtectedService,
  MeshPrincipal, RouteNamespaces, ServiceReference, ServiceResilience, TrafficApi, Waypoint, WaypointTrafficType, WorkloadSelector,
  ZeroTrustNamespace,
} from '../../src';
import { chart, ofKind, only, synth } from '../support/synth';
import { versioned } from '../support/workloads';

const issuer = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' };

/** A chart whose namespace (a Namespace object of the app) is enrolled in ambient mode. */
function ambientChart(app: App = Testing.app(), namespace = 'shop'): Chart {
  const c = new Chart(app, namespace, { namespace });
  new kplus.Namespace(c, 'ns', { metadata: { name: namespace, labels: { 'istio.io/dataplane-mode': 'ambient' } } });
  return c;
}

const byName = (objects: any[], kind: string, name: string) => objects.find(o => o.kind === kind && o.metadata.name === name);

describe('DataPlane', () => {
  test('read from the Namespace object, else declared, else SIDECAR', () => {
    const app = Testing.app();
    ambientChart(app, 'shop');
    DataPlane.declare(app, 'remote', DataPlaneMode.AMBIENT);
    expect(DataPlane.of(app, 'shop')).toBe(DataPlaneMode.AMBIENT);
    expect(DataPlane.of(app, 'remote')).toBe(DataPlaneMode.AMBIENT);
    expect(DataPlane.of(app, 'other')).toBe(DataPlaneMode.SIDECAR);
  });

  test('an ambient control plane\'s enrolment makes the namespace ambient', () => {
    const app = Testing.app();
    const cp = new IstioControlPlane(new Chart(app, 'istio'), 'istio', { profile: IstioProfile.AMBIENT });
    cp.enrolNamespaceNamed('shop');
    expect(DataPlane.of(app, 'shop')).toBe(DataPlaneMode.AMBIENT);
  });

  test('declarations: a bad name, two modes, or a declaration after an intent rendered are errors', () => {
    const app = Testing.app();
    expect(() => DataPlane.declare(app, 'Shop', DataPlaneMode.AMBIENT)).toThrow(/namespace 'Shop' is not a namespace name/);
    DataPlane.declare(app, 'shop', DataPlaneMode.AMBIENT);
    expect(() => DataPlane.declare(app, 'shop', DataPlaneMode.SIDECAR)).toThrow(/already declared AMBIENT; declare it once/);
    const c = new Chart(app, 'web', { namespace: 'web' });
    new ZeroTrustNamespace(c, 'zt');
    expect(() => DataPlane.declare(app, 'web', DataPlaneMode.AMBIENT)).toThrow(/ZeroTrustNamespace 'web\/zt' already rendered for namespace 'web' as SIDECAR; declare data planes before adding intents/);
  });

  test('enrolling a namespace in ambient mode after an intent rendered for it as SIDECAR fails synth, naming both', () => {
    const app = Testing.app();
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    const ns = new kplus.Namespace(c, 'ns', { metadata: { name: 'shop' } });
    const { deployments } = versioned(c, 'httpbin', ['v1']);
    new JwtProtectedService(c, 'jwt', { selector: WorkloadSelector.fromWorkload(deployments[0]), issuers: [issuer] });
    ns.metadata.addLabel('istio.io/dataplane-mode', 'ambient');
    expect(() => app.synth()).toThrow(/JwtProtectedService 'shop\/jwt': rendered for namespace 'shop' as SIDECAR, but the namespace is AMBIENT by the end of the program/);
  });
});

describe('Waypoint', () => {
  test('a Gateway of class istio-waypoint with the HBONE listener; serve() labels the Service and returns its target', () => {
    const c = ambientChart();
    const { service } = versioned(c, 'reviews', ['v1']);
    const waypoint = new Waypoint(c, 'wp', { trafficType: WaypointTrafficType.ALL });
    expect(waypoint.serve(service, { ingressUsesWaypoint: true })).toEqual({ kind: 'Service', group: '', name: 'reviews' });
    const out = synth(c);
    expect(only(out, 'Gateway')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'all' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
    expect(byName(out, 'Service', 'reviews').metadata.labels).toMatchObject({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' });
    expect(waypoint.principal).toBe('cluster.local/ns/shop/sa/waypoint');
    expect(Waypoint.of(service)).toBe(waypoint);
  });

  test('another namespace\'s Services need routeNamespaces, and carry use-waypoint-namespace', () => {
    const app = Testing.app();
    const infra = ambientChart(app, 'infra');
    const shop = ambientChart(app, 'shop');
    const { service } = versioned(shop, 'reviews', ['v1']);
    const closed = new Waypoint(infra, 'closed', { name: 'closed' });
    expect(() => closed.serve(service)).toThrow(/serves Service 'reviews' of namespace 'shop', but its routeNamespaces is SAME, so Istio would refuse the binding/);
    const shared = new Waypoint(infra, 'shared', { name: 'shared', routeNamespaces: RouteNamespaces.ALL });
    shared.serve(service);
    const labels = byName(synth(shop), 'Service', 'reviews').metadata.labels;
    expect(labels).toMatchObject({ 'istio.io/use-waypoint': 'shared', 'istio.io/use-waypoint-namespace': 'infra' });
    expect(byName(synth(infra), 'Gateway', 'shared').spec.listeners[0].allowedRoutes).toEqual({ namespaces: { from: 'All' } });
  });

  test('serveNamespace labels the Namespace; a second waypoint for one object is refused', () => {
    const c = ambientChart();
    const ns = c.node.findChild('ns');
    const waypoint = new Waypoint(c, 'wp');
    waypoint.serveNamespace(ns);
    expect(byName(synth(c), 'Namespace', 'shop').metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
    const other = new Waypoint(c, 'other', { name: 'other' });
    expect(() => other.serveNamespace(ns)).toThrow(/namespace 'shop' already has label istio.io\/use-waypoint=waypoint; it cannot also be other/);
    expect(() => new Waypoint(c, 'again')).toThrow(/namespace 'shop' already has a waypoint named 'waypoint'/);
  });
});

describe('JwtProtectedService in an ambient namespace', () => {
  test('checked by the waypoint of the pods\' Services (targetRefs, Service ports); the pods refuse what skips it', () => {
    const c = ambientChart();
    const deployment = new kplus.Deployment(c, 'httpbin-v1', {
      select: false,
      podMetadata: { labels: { app: 'httpbin' } },
      containers: [{ image: 'example/httpbin', ports: [{ number: 8080, name: 'http' }, { number: 9090, name: 'metrics' }] }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: { app: 'httpbin' } }));
    new kplus.Service(c, 'svc', { metadata: { name: 'httpbin' }, selector: deployment, ports: [{ port: 8000, targetPort: 8080, name: 'http' }] });
    new JwtProtectedService(c, 'httpbin', { selector: WorkloadSelector.fromWorkload(deployment), issuers: [issuer], ports: [8080] });
    const out = synth(c);
    const targetRefs = [{ group: '', kind: 'Service', name: 'httpbin' }];
    expect(only(out, 'RequestAuthentication').spec).toEqual({ targetRefs, jwtRules: [issuer] });
    const deny = byName(out, 'AuthorizationPolicy', 'httpbin');
    expect(deny.spec.targetRefs).toEqual(targetRefs);
    expect(deny.spec.selector).toBeUndefined();
    // A waypoint sees the Service port (8000), not the container port.
    expect(deny.spec.rules[0].to).toEqual([{ operation: { ports: ['8000'] } }]);
    // The guard: the intent's pods, on its ports, refuse every caller but the waypoint.
    expect(byName(out, 'AuthorizationPolicy', 'httpbin-require-waypoint').spec).toEqual({
      selector: { matchLabels: { app: 'httpbin' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/waypoint'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
    expect(only(out, 'Gateway').spec.gatewayClassName).toBe('istio-waypoint');
    expect(byName(out, 'Service', 'httpbin').metadata.labels).toMatchObject({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' });
  });

  test('no Service of the pods, or one added after the intent without a waypoint, is an error', () => {
    const c = ambientChart();
    expect(() => new JwtProtectedService(c, 'lonely', { selector: WorkloadSelector.fromLabels({ app: 'lonely' }), issuers: [issuer] }))
      .toThrow(/namespace 'shop' is ambient, where JWT check is applied by a waypoint, which serves Services; no Service of this app in 'shop' selects the pods \{"app":"lonely"\}/);
    const app = Testing.app();
    const d = ambientChart(app);
    const { deployments } = versioned(d, 'httpbin', ['v1']);
    new JwtProtectedService(d, 'jwt', { selector: WorkloadSelector.fromWorkload(deployments[0]), issuers: [issuer] });
    new kplus.Service(d, 'late', { metadata: { name: 'httpbin-direct' }, selector: deployments[0], ports: [{ port: 80, targetPort: 9080, name: 'http' }] });
    expect(() => app.synth()).toThrow(/JwtProtectedService 'shop\/jwt': Service 'shop\/late' selects the pods \{"app":"httpbin"\}, whose JWT check a waypoint applies, but it uses no waypoint/);
  });

  test('ports that no Service sends to would require a token nowhere: an error', () => {
    const c = ambientChart();
    const { deployments } = versioned(c, 'httpbin', ['v1']);
    expect(() => new JwtProtectedService(c, 'jwt', { selector: WorkloadSelector.fromLabels({ app: 'httpbin' }), issuers: [issuer], ports: [7070] }))
      .toThrow(/ports \[7070\] are the target port of no port of the Services the waypoint serves \(httpbin\)/);
    expect(deployments).toHaveLength(1);
  });
});

describe('ZeroTrustNamespace in an ambient namespace', () => {
  test('L4 rules stay on ztunnel; a rule with methods goes to the waypoint, which ztunnel admits in its place', () => {
    const c = ambientChart();
    const ratings = versioned(c, 'ratings', ['v1']);
    const reviews = versioned(c, 'reviews', ['v1', 'v2']);
    const zt = new ZeroTrustNamespace(c, 'zt');
    const caller = MeshPrincipal.serviceAccount('productpage', 'shop');
    zt.allow('ratings', { to: WorkloadSelector.fromWorkload(ratings.deployments[0]), fromPrincipals: [caller], ports: [9080] });
    zt.allow('reviews', { to: WorkloadSelector.fromWorkload(reviews.deployments[0]), fromPrincipals: [caller], methods: ['GET'] });
    const out = synth(c);
    expect(byName(out, 'AuthorizationPolicy', 'ratings').spec.selector).toEqual({ matchLabels: { app: 'ratings' } });
    expect(byName(out, 'AuthorizationPolicy', 'reviews').spec).toEqual({
      targetRefs: [{ group: '', kind: 'Service', name: 'reviews' }],
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/productpage'] } }], to: [{ operation: { methods: ['GET'] } }] }],
    });
    expect(byName(out, 'AuthorizationPolicy', 'reviews-via-waypoint').spec).toEqual({
      selector: { matchLabels: { app: 'reviews' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] }],
    });
    expect(byName(out, 'Service', 'ratings').metadata.labels?.['istio.io/use-waypoint']).toBeUndefined();
  });

  test('an L4 rule for pods a waypoint serves goes there too (ztunnel sees the waypoint, not the caller)', () => {
    const c = ambientChart();
    const httpbin = versioned(c, 'httpbin', ['v1']);
    const selector = WorkloadSelector.fromWorkload(httpbin.deployments[0]);
    new JwtProtectedService(c, 'jwt', { selector, issuers: [issuer] });
    new ZeroTrustNamespace(c, 'zt').allow('callers', { to: selector, fromNamespaces: ['web'] });
    const out = synth(c);
    expect(byName(out, 'AuthorizationPolicy', 'callers').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'httpbin' }]);
    expect(byName(out, 'AuthorizationPolicy', 'callers-via-waypoint')).toBeDefined();
  });

  test('an L4 rule added before the intent that puts a waypoint in front of its pods fails synth', () => {
    const app = Testing.app();
    const c = ambientChart(app);
    const httpbin = versioned(c, 'httpbin', ['v1']);
    const selector = WorkloadSelector.fromWorkload(httpbin.deployments[0]);
    new ZeroTrustNamespace(c, 'zt').allow('callers', { to: selector, fromNamespaces: ['web'] });
    new JwtProtectedService(c, 'jwt', { selector, issuers: [issuer] });
    expect(() => app.synth()).toThrow(/ZeroTrustNamespace 'shop\/zt': allow\('callers'\) is enforced by ztunnel, but Service 'shop\/httpbin-svc' of its pods uses a waypoint/);
  });
});

describe('traffic intents in an ambient namespace', () => {
  test('a canary renders as an HTTPRoute on the Service, which uses the namespace\'s waypoint', () => {
    const app = Testing.app();
    TrafficApi.use(app, TrafficApi.gatewayApi());
    const c = ambientChart(app);
    const { service, deployments } = versioned(c, 'reviews', ['v1', 'v2']);
    new CanaryRelease(c, 'reviews', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(deployments[0]),
      canary: CanaryVersion.fromWorkload(deployments[1]),
      canaryWeight: 10,
    });
    const out = synth(c);
    expect(only(out, 'HTTPRoute').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
    expect(byName(out, 'Service', 'reviews').metadata.labels['istio.io/use-waypoint']).toBe('waypoint');
    expect(ofKind(out, 'Gateway').map(g => g.spec.gatewayClassName)).toEqual(['istio-waypoint']);
    expect(ofKind(out, 'VirtualService')).toEqual([]);
  });

  test('with Istio\'s classic API, routing an ambient host is an error naming the fix; fault injection has no Gateway API form', () => {
    const c = ambientChart();
    const { service, deployments } = versioned(c, 'reviews', ['v1', 'v2']);
    expect(() => new CanaryRelease(c, 'reviews', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(deployments[0]),
      canary: CanaryVersion.fromWorkload(deployments[1]),
    })).toThrow(/routes 'reviews.shop.svc.cluster.local' in namespace 'shop', which is ambient: .*TrafficApi.use\(app, TrafficApi.gatewayApi\(\)\)/);
    const app = Testing.app();
    TrafficApi.use(app, TrafficApi.gatewayApi());
    const d = ambientChart(app);
    const ratings = versioned(d, 'ratings', ['v1']);
    expect(() => new FaultInjection(d, 'abort', { service: ServiceReference.fromService(ratings.service), abortStatus: 503 }))
      .toThrow(/Gateway API cannot express it/);
  });
});

describe('what a waypoint cannot do safely is refused', () => {
  test('a Service that also sends to pods the intent does not select: the per-Service rule would cover them too', () => {
    const c = ambientChart();
    const { deployments } = versioned(c, 'api', ['v1', 'v2']);
    expect(() => new ZeroTrustNamespace(c, 'zt').allow('v1-only', {
      to: WorkloadSelector.fromWorkload(deployments[0], ['app', 'version']), fromNamespaces: ['web'], methods: ['GET'],
    })).toThrow(/a waypoint applies allow rule 'v1-only' per Service, and Service 'shop\/api-svc' also sends to pods outside \{"app":"api","version":"v1"\}/);
  });

  test('a waypoint for workload traffic serves no Service; one the namespace\'s pods are bound to would let pod-IP calls skip the policies', () => {
    const c = ambientChart();
    const { service, deployments } = versioned(c, 'api', ['v1']);
    const workloads = new Waypoint(c, 'wl', { name: 'pods', trafficType: WaypointTrafficType.WORKLOAD });
    expect(() => workloads.serve(service)).toThrow(/a waypoint for WORKLOAD traffic: Istio binds no Service to it/);
    workloads.serveNamespace(c.node.findChild('ns'));
    expect(() => new DeniedRequests(c, 'admin', { to: WorkloadSelector.fromWorkload(deployments[0]), paths: ['/admin'], ports: [9080] }))
      .toThrow(/the pods of namespace 'shop' use Waypoint 'shop\/wl', a waypoint for workload traffic: calls to a pod's IP pass it without the policies attached to Services/);
  });

  test('a Service added after the intent that also sends to other pods is a synth error', () => {
    const app = Testing.app();
    const c = ambientChart(app);
    const { deployments } = versioned(c, 'api', ['v1', 'v2']);
    new kplus.Service(c, 'v1-only', {
      metadata: { name: 'api-v1' },
      selector: kplus.Pods.select(c, 'v1-pods', { labels: { app: 'api', version: 'v1' } }),
      ports: [{ port: 9080, targetPort: 9080, name: 'http' }],
    });
    const v1 = WorkloadSelector.fromWorkload(deployments[0], ['app', 'version']);
    expect(() => new DeniedRequests(c, 'admin', { to: v1, paths: ['/admin'], ports: [9080] }))
      .toThrow(/Service 'shop\/api-svc' also sends to pods outside/);
    const d = ambientChart(Testing.app(), 'web');
    const web = versioned(d, 'web', ['v1']);
    const later = d.node.root as App;
    new DeniedRequests(d, 'admin', { to: WorkloadSelector.fromWorkload(web.deployments[0]), paths: ['/admin'], ports: [9080] });
    // Added after the intent: a Service of some of its pods (tier x) that also sends to pods of another app.
    new kplus.Deployment(d, 'web-x', { podMetadata: { labels: { app: 'web', tier: 'x' } }, containers: [{ image: 'x', ports: [{ number: 9080 }] }] });
    new kplus.Deployment(d, 'other-x', { podMetadata: { labels: { app: 'other', tier: 'x' } }, containers: [{ image: 'x', ports: [{ number: 9080 }] }] });
    new kplus.Service(d, 'tier', { metadata: { name: 'tier' }, selector: kplus.Pods.select(d, 'tier-pods', { labels: { tier: 'x' } }), ports: [{ port: 80, targetPort: 9080, name: 'http' }] });
    expect(() => later.synth()).toThrow(/Service 'web\/tier' also sends to pods outside \{"app":"web"\} by the end of the program/);
  });

  test('each synth reads the app afresh: a Service added between two synths is seen by the checks and the targetRefs', () => {
    const app = Testing.app();
    const c = ambientChart(app);
    const { deployments } = versioned(c, 'api', ['v1']);
    const deny = new DeniedRequests(c, 'admin', { to: WorkloadSelector.fromWorkload(deployments[0]), paths: ['/admin'], ports: [9080] });
    app.synth();
    const direct = new kplus.Service(c, 'direct', { metadata: { name: 'api-direct' }, selector: deployments[0], ports: [{ port: 9080, targetPort: 9080, name: 'http' }] });
    expect(() => app.synth()).toThrow(/Service 'shop\/direct' selects the pods \{"app":"api"\}, whose request denial a waypoint applies, but it uses no waypoint/);
    Waypoint.of(c.node.findChild('api-svc'))!.serve(direct);
    app.synth();
    expect(deny.authorizationPolicy.toJson().spec.targetRefs.map((r: any) => r.name)).toEqual(['api', 'api-direct']);
  });

  test('a Service port added after the intent is a synth error (the rule names the Service ports it knew)', () => {
    const app = Testing.app();
    const c = ambientChart(app);
    const { service, deployments } = versioned(c, 'api', ['v1']);
    new DeniedRequests(c, 'admin', { to: WorkloadSelector.fromWorkload(deployments[0]), paths: ['/admin'], ports: [9080] });
    service.bind(8080, { targetPort: 9080, name: 'http-alt' });
    expect(() => app.synth()).toThrow(/the Services of the pods \{"app":"api"\} send to \[9080\] from ports 8080, 9080 by the end of the program, but the rule was made for 9080/);
  });

  test('gateway pods in an ambient namespace keep selector policies (they run Envoy)', () => {
    const c = ambientChart();
    const gw = new kplus.Deployment(c, 'gw', {
      select: false,
      podMetadata: { labels: { istio: 'ingressgateway' }, annotations: { 'inject.istio.io/templates': 'gateway' } },
      containers: [{ image: 'auto', ports: [{ number: 8443, name: 'https' }] }],
    });
    gw.select(kplus.LabelSelector.of({ labels: { istio: 'ingressgateway' } }));
    new JwtProtectedService(c, 'edge', { selector: WorkloadSelector.fromLabels({ istio: 'ingressgateway' }), issuers: [issuer] });
    const out = synth(c);
    expect(only(out, 'RequestAuthentication').spec.selector).toEqual({ matchLabels: { istio: 'ingressgateway' } });
    expect(ofKind(out, 'Gateway')).toEqual([]);
  });

  test('an allow rule moved to the waypoint, and a circuit breaker, bring ingress traffic and DestinationRules to the waypoint', () => {
    const app = Testing.app();
    const c = ambientChart(app);
    const api = versioned(c, 'api', ['v1']);
    new ZeroTrustNamespace(c, 'zt').allow('gets', { to: WorkloadSelector.fromWorkload(api.deployments[0]), fromNamespaces: ['web'], methods: ['GET'] });
    const db = versioned(c, 'db', ['v1']);
    new ServiceResilience(c, 'db', { service: ServiceReference.fromService(db.service), circuitBreaker: { maxConnections: 10 } });
    const out = synth(c);
    expect(byName(out, 'Service', 'api').metadata.labels).toMatchObject({ 'istio.io/use-waypoint': 'waypoint', 'istio.io/ingress-use-waypoint': 'true' });
    expect(byName(out, 'Service', 'db').metadata.labels).toMatchObject({ 'istio.io/use-waypoint': 'waypoint' });
  });
});

describe('DeniedRequests', () => {
  test('with sidecars: a DENY selecting the pods, scoped to the HTTP ports', () => {
    const c = chart('shop');
    const { deployments } = versioned(c, 'productpage', ['v1']);
    new DeniedRequests(c, 'admin', { to: WorkloadSelector.fromWorkload(deployments[0]), paths: ['/admin', '/admin/*'], ports: [9080] });
    expect(only(synth(c), 'AuthorizationPolicy').spec).toEqual({
      selector: { matchLabels: { app: 'productpage' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin', '/admin/*'], ports: ['9080'] } }] }],
    });
  });

  test('in ambient: at the waypoint, plus the bypass guard', () => {
    const c = ambientChart();
    const { deployments } = versioned(c, 'productpage', ['v1']);
    new DeniedRequests(c, 'admin', { to: WorkloadSelector.fromWorkload(deployments[0]), methods: ['DELETE'], ports: [9080] });
    const out = synth(c);
    expect(byName(out, 'AuthorizationPolicy', 'admin').spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'productpage' }]);
    // The guard: the pods refuse, on the denied ports, every caller but the waypoint.
    expect(byName(out, 'AuthorizationPolicy', 'admin-require-waypoint').spec.rules).toEqual([{ from: [{ source: { notPrincipals: ['cluster.local/ns/shop/sa/waypoint'] } }], to: [{ operation: { ports: ['9080'] } }] }]);
  });

  test('bad props are named', () => {
    const c = chart('shop');
    const to = WorkloadSelector.fromLabels({ app: 'x' });
    expect(() => new DeniedRequests(c, 'a', { to, ports: [80] })).toThrow(/give paths or methods to refuse/);
    expect(() => new DeniedRequests(c, 'b', { to, paths: ['admin'], ports: [80] })).toThrow(/paths\[0\] is 'admin'/);
    expect(() => new DeniedRequests(c, 'c', { to, methods: ['delete'], ports: [80] })).toThrow(/methods\[0\] is 'delete'; HTTP methods are upper-case/);
    expect(() => new DeniedRequests(c, 'd', { to, methods: ['DELETE'], ports: [] })).toThrow(/ports is empty/);
  });
});
