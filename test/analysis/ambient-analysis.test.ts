import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  AuthorizationAction, AuthorizationPolicy, DataPlane, DataPlaneMode, DestinationRule, GatewayApiGateway, GatewayApiHttpRoute, IstioControlPlane,
  IstioVersion, ListenerProtocol, MeshAnalyzer, PortProtocol, RequestAuthentication, ServiceEntry, Sidecar,
  Telemetry, VirtualService, WorkloadSelector,
} from '../../src';
import { withoutSchemaCheck } from '../support/schema-setup';

const findings = (c: Chart) => withoutSchemaCheck(() => MeshAnalyzer.of(c).analyze());
const found = (c: Chart, ...codes: string[]) => findings(c).filter(f => codes.includes(f.code)).map(f => `${f.code} ${f.path}`);

function namespace(c: Chart, name: string, labels: Record<string, string>): ApiObject {
  return new ApiObject(c, `ns-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}
function service(c: Chart, name: string, labels: Record<string, string> = {}, ns?: string): ApiObject {
  return new ApiObject(c, `svc-${name}`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
}
const waypointGateway = (c: Chart, name = 'waypoint', extra: any = {}) =>
  new GatewayApiGateway(c, `gw-${name}`, { metadata: { name, ...extra.metadata }, gatewayClassName: extra.className ?? 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: ListenerProtocol.HBONE }] });
const ambientApp = () => {
  const c = new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
  namespace(c, 'shop', { 'istio.io/dataplane-mode': 'ambient' });
  return c;
};
const toService = (name: string) => [{ kind: 'Service', name }];

describe('ambient checks', () => {
  test('CDK8SISTIO010: HTTP attributes, CUSTOM or a RequestAuthentication for ztunnel, in enrolled or declared ambient namespaces', () => {
    const c = ambientApp();
    const selector = WorkloadSelector.fromLabels({ app: 'reviews' });
    new AuthorizationPolicy(c, 'http', { selector, action: AuthorizationAction.DENY, rules: [{ operations: [{ paths: ['/admin'] }] }] });
    new AuthorizationPolicy(c, 'ip', { selector, rules: [{ sources: [{ remoteIpBlocks: ['10.0.0.0/8'] }] }] });
    new AuthorizationPolicy(c, 'custom', { selector, action: AuthorizationAction.CUSTOM, provider: 'ext-authz', rules: [{}] });
    new AuthorizationPolicy(c, 'l4', { selector, rules: [{ sources: [{ namespaces: ['shop'] }] }] });
    new RequestAuthentication(c, 'jwt', { selector, jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] });
    expect(found(c, 'CDK8SISTIO010')).toEqual(['CDK8SISTIO010 mesh/http', 'CDK8SISTIO010 mesh/ip', 'CDK8SISTIO010 mesh/custom', 'CDK8SISTIO010 mesh/jwt']);
    const app = Testing.app();
    DataPlane.declare(app, 'remote', DataPlaneMode.AMBIENT);
    const d = new Chart(app, 'remote', { namespace: 'remote' });
    new AuthorizationPolicy(d, 'http', { selector, rules: [{ operations: [{ methods: ['GET'] }] }] });
    expect(found(d, 'CDK8SISTIO010')).toEqual(['CDK8SISTIO010 remote/http']);
  });

  test('CDK8SISTIO010 reads conditions as ztunnel does, and leaves pods that run Envoy (gateways) alone', () => {
    const c = ambientApp();
    const gateway = { app: 'edge' };
    new ApiObject(c, 'edge', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'edge' },
      spec: { selector: { matchLabels: gateway }, template: { metadata: { labels: gateway, annotations: { 'inject.istio.io/templates': 'gateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] } } },
    });
    new AuthorizationPolicy(c, 'sni', {
      selector: WorkloadSelector.fromLabels({ app: 'api' }),
      action: AuthorizationAction.DENY,
      rules: [{ conditions: [{ key: 'connection.sni', values: ['a.example.com'] }] }],
    });
    new AuthorizationPolicy(c, 'port', { selector: WorkloadSelector.fromLabels({ app: 'api' }), rules: [{ conditions: [{ key: 'destination.port', values: ['80'] }] }] });
    new AuthorizationPolicy(c, 'edge-admin', { selector: WorkloadSelector.fromLabels(gateway), action: AuthorizationAction.DENY, rules: [{ operations: [{ paths: ['/admin'] }] }] });
    const f = findings(c).filter(x => x.code === 'CDK8SISTIO010');
    expect(f.map(x => x.path)).toEqual(['mesh/sni']);
    expect(f[0].message).toMatch(/attributes ztunnel cannot see \(connection.sni\): ztunnel enforces it without them/);
  });

  test('CDK8SISTIO001 pairs a Service-attached RequestAuthentication with a policy attached to the same Service', () => {
    const c = ambientApp();
    service(c, 'api', { 'istio.io/use-waypoint': 'waypoint' });
    service(c, 'web', { 'istio.io/use-waypoint': 'waypoint' });
    waypointGateway(c);
    const jwtRules = [{ issuer: 'https://i.example.com', jwksUri: 'https://i.example.com/jwks' }];
    new RequestAuthentication(c, 'api-jwt', { targetRefs: toService('api'), jwtRules });
    new RequestAuthentication(c, 'web-jwt', { targetRefs: toService('web'), jwtRules });
    new AuthorizationPolicy(c, 'api-deny', { targetRefs: toService('api'), action: AuthorizationAction.DENY, rules: [{ sources: [{ notRequestPrincipals: ['*'] }] }] });
    expect(found(c, 'CDK8SISTIO001')).toEqual(['CDK8SISTIO001 mesh/web-jwt']);
  });

  test('CDK8SISTIO019: a policy attached to a Service without a waypoint applies nowhere', () => {
    const c = ambientApp();
    service(c, 'reviews');
    service(c, 'ratings', { 'istio.io/use-waypoint': 'waypoint' });
    service(c, 'details', { 'istio.io/use-waypoint': 'none' });
    waypointGateway(c);
    const rule = { rules: [{ operations: [{ methods: ['GET'] }] }] };
    new AuthorizationPolicy(c, 'reviews', { targetRefs: toService('reviews'), ...rule });
    new AuthorizationPolicy(c, 'ratings', { targetRefs: toService('ratings'), ...rule });
    new AuthorizationPolicy(c, 'details', { targetRefs: toService('details'), ...rule });
    new Telemetry(c, 'tel', { targetRefs: toService('reviews'), accessLogging: [{ providers: ['envoy'] }] });
    expect(found(c, 'CDK8SISTIO019')).toEqual(['CDK8SISTIO019 mesh/reviews', 'CDK8SISTIO019 mesh/details', 'CDK8SISTIO019 mesh/tel']);
    // A namespace's waypoint serves its Services.
    const d = new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
    namespace(d, 'shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    service(d, 'reviews');
    waypointGateway(d);
    new AuthorizationPolicy(d, 'reviews', { targetRefs: toService('reviews'), ...rule });
    expect(found(d, 'CDK8SISTIO019')).toEqual([]);
  });

  test('CDK8SISTIO020 / CDK8SISTIO021 / KIA1312: waypoints that cannot serve, are missing, or sit in a sidecar namespace', () => {
    const app = Testing.app();
    const c = new Chart(app, 'mesh', { namespace: 'shop' });
    namespace(c, 'shop', { 'istio.io/dataplane-mode': 'ambient' });
    namespace(c, 'legacy', { 'istio-injection': 'enabled', 'istio.io/use-waypoint': 'waypoint' });
    waypointGateway(c, 'ingress', { className: 'istio' });
    waypointGateway(c, 'workloads', { metadata: { labels: { 'istio.io/waypoint-for': 'workload' } } });
    waypointGateway(c, 'waypoint');
    service(c, 'a', { 'istio.io/use-waypoint': 'ingress' });
    service(c, 'b', { 'istio.io/use-waypoint': 'workloads' });
    service(c, 'c', { 'istio.io/use-waypoint': 'missing' });
    const other = new Chart(app, 'web', { namespace: 'web' });
    namespace(other, 'web', { 'istio.io/dataplane-mode': 'ambient' });
    service(other, 'd', { 'istio.io/use-waypoint': 'waypoint', 'istio.io/use-waypoint-namespace': 'shop' });
    const f = findings(c);
    const show = (code: string) => f.filter(x => x.code === code).map(x => `${x.path}: ${x.message}`).sort();
    expect(show('CDK8SISTIO020')).toEqual([
      expect.stringMatching(/^mesh\/svc-a: .*that Gateway has class 'istio', not istio-waypoint/),
      expect.stringMatching(/^mesh\/svc-b: .*the waypoint is for 'workload' traffic/),
      expect.stringMatching(/^web\/svc-d: .*its HBONE listener does not admit namespace 'web' \(allowedRoutes Same\)/),
    ]);
    expect(show('CDK8SISTIO021')).toEqual([
      expect.stringMatching(/^mesh\/ns-legacy: uses waypoint 'legacy\/waypoint', which this app does not define/),
      expect.stringMatching(/^mesh\/svc-c: uses waypoint 'shop\/missing', which this app does not define/),
    ]);
    expect(show('KIA1312')).toEqual([expect.stringMatching(/^mesh\/ns-legacy: uses waypoint 'legacy\/waypoint', but namespace 'legacy' is not enrolled in ambient mode/)]);
  });

  test('CDK8SISTIO022 / KIA1113 / KIA1114 / KIA0212 (and CDK8SISTIO018): mesh routes for ambient Services', () => {
    const app = Testing.app();
    const c = new Chart(app, 'mesh', { namespace: 'shop' });
    namespace(c, 'shop', { 'istio.io/dataplane-mode': 'ambient' });
    service(c, 'plain');
    service(c, 'served', { 'istio.io/use-waypoint': 'waypoint' });
    waypointGateway(c);
    new GatewayApiHttpRoute(c, 'plain-route', { parentRefs: [{ kind: 'Service', group: '', name: 'plain', port: 80 }], rules: [{ backendRefs: [{ name: 'plain', port: 80 }] }] });
    new GatewayApiHttpRoute(c, 'served-route', { parentRefs: [{ kind: 'Service', group: '', name: 'served', port: 80 }], rules: [{ backendRefs: [{ name: 'served', port: 80 }] }] });
    new VirtualService(c, 'plain-vs', { hosts: ['plain.shop.svc.cluster.local'] }).addHttpRoute({ route: [{ destination: { host: 'plain.shop.svc.cluster.local' } }] });
    const elsewhere = new Chart(app, 'web', { namespace: 'web' });
    new VirtualService(elsewhere, 'served-vs', { hosts: ['served.shop.svc.cluster.local'] }).addHttpRoute({ route: [{ destination: { host: 'served.shop.svc.cluster.local' } }] });
    new DestinationRule(elsewhere, 'served-dr', { host: 'served.shop.svc.cluster.local' });
    expect(found(c, 'CDK8SISTIO022', 'KIA1113', 'KIA1114', 'KIA0212', 'CDK8SISTIO018')).toEqual([
      'CDK8SISTIO018 mesh/plain-route', 'CDK8SISTIO018 mesh/served-route',
      'CDK8SISTIO022 mesh/plain-route',
      'KIA1113 mesh/plain-vs',
      'KIA1114 web/served-vs',
      'KIA0212 web/served-dr',
    ]);
  });

  test('IST0167 a Sidecar, KIA1117 HTTP telemetry by selector, in an ambient namespace', () => {
    const c = ambientApp();
    new Sidecar(c, 'sc', { egress: [{ hosts: ['./*'] }] });
    new Telemetry(c, 'logs', { selector: WorkloadSelector.fromLabels({ app: 'reviews' }), accessLogging: [{ providers: ['envoy'] }] });
    new Telemetry(c, 'tcp', { selector: WorkloadSelector.fromLabels({ app: 'reviews' }), metrics: [{ providers: ['prometheus'] }] });
    expect(found(c, 'IST0167', 'KIA1117')).toEqual(['KIA1117 mesh/logs', 'IST0167 mesh/sc']);
  });
});

describe('istioctl checks added in 1.30 and 1.31', () => {
  test('IST0175: RequestAuthentications while istiod may fetch JWKS from anywhere', () => {
    const jwt = (c: Chart) => new RequestAuthentication(c, 'jwt', { selector: WorkloadSelector.fromLabels({ app: 'a' }), jwtRules: [{ issuer: 'https://i.example.com', jwksUri: 'https://i.example.com/jwks' }] });
    const open = new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
    new IstioControlPlane(open, 'istio');
    jwt(open);
    expect(findings(open).filter(f => f.code === 'IST0175').map(f => f.message)).toEqual([expect.stringMatching(/istiod of 'mesh\/istio' fetches their jwksUri from any address/)]);
    const closed = new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
    new IstioControlPlane(closed, 'istio', { istiod: { blockedJwksCidrs: ['10.0.0.0/8', '169.254.169.254/32'] } });
    jwt(closed);
    expect(found(closed, 'IST0175')).toEqual([]);
    expect(() => new IstioControlPlane(new Chart(Testing.app(), 'x'), 'istio', { istiod: { blockedJwksCidrs: ['10.0.0.0'] } }))
      .toThrow(/istiod.blockedJwksCidrs\[0\] is '10.0.0.0', not a CIDR/);
  });

  test('IST0176: a Gateway API CRD of the app older than Istio reads', () => {
    const c = new Chart(Testing.app(), 'crds');
    const crd = (name: string, version: string) => new ApiObject(c, name, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name, annotations: { 'gateway.networking.k8s.io/bundle-version': version } },
    });
    crd('tlsroutes.gateway.networking.k8s.io', 'v1.4.1');
    crd('grpcroutes.gateway.networking.k8s.io', 'v1.4.1');
    crd('backendtlspolicies.gateway.networking.k8s.io', 'v1.3.0');
    expect(found(c, 'IST0176')).toEqual(['IST0176 crds/tlsroutes.gateway.networking.k8s.io', 'IST0176 crds/backendtlspolicies.gateway.networking.k8s.io']);
  });

  test('IST0176 follows the targeted release: Istio 1.31 reads TCPRoute from Gateway API 1.6, Istio 1.30 not at all', () => {
    const tcpRoutes = (version?: string) => {
      const c = new Chart(Testing.app(), 'crds');
      if (version) IstioVersion.declare(c, version);
      new ApiObject(c, 'tcproutes', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'tcproutes.gateway.networking.k8s.io', annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.5.1' } },
      });
      return found(c, 'IST0176');
    };
    expect(tcpRoutes()).toEqual(['IST0176 crds/tcproutes']);
    expect(tcpRoutes('1.30.3')).toEqual([]);
  });

  test('IST0177: ServiceEntries that give one host and port different protocols where both are visible', () => {
    const c = new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
    const se = (id: string, protocol: PortProtocol, exportTo?: string[]) => new ServiceEntry(c, id, {
      hosts: ['api.example.com'], ports: [{ number: 443, name: `p-${id}`, protocol }], exportTo, resolution: undefined,
    });
    se('tls', PortProtocol.TLS);
    se('https', PortProtocol.HTTPS, ['.']);
    se('tls-again', PortProtocol.TLS, ['web']);
    expect(found(c, 'IST0177')).toEqual(['IST0177 mesh/https', 'IST0177 mesh/tls']);
  });
});
