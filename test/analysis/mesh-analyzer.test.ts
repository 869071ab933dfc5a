import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  AuthorizationAction, AuthorizationPolicy, DestinationRule, Gateway, GatewayReference, IngressGateway, MeshAnalyzer, MtlsMode, PeerAuthentication,
  PortProtocol, RequestAuthentication, ServerTlsMode, ServiceEntry, Sidecar, StringMatch, VirtualService, WorkloadSelector,
} from '../../src';
import { synth } from '../support/synth';

const host = 'reviews.shop.svc.cluster.local';

function app(): Chart {
  return new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
}
function codes(c: Chart): string[] {
  return MeshAnalyzer.of(c).analyze().map(f => f.code);
}
function pod(c: Chart, name: string, labels: Record<string, string>, annotations: Record<string, string> = {}, namespace?: string): ApiObject {
  return new ApiObject(c, name, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels, annotations }, spec: { containers: [{ name, image: name }] } } },
  });
}
function service(c: Chart, name: string, selector: Record<string, string>, ports: any[], type?: string): ApiObject {
  return new ApiObject(c, `svc-${name}`, { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, selector, ports } });
}
function routeToSubset(c: Chart, subset: string): VirtualService {
  const vs = new VirtualService(c, `vs-${subset}`, { metadata: { name: 'reviews' }, hosts: [host] });
  vs.addHttpRoute({ route: [{ destination: { host, subset } }] });
  return vs;
}

describe('IST0101 VirtualService → DestinationRule subset', () => {
  test('fails synthesis with the code and the construct path', () => {
    const c = app();
    new DestinationRule(c, 'dr', { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    routeToSubset(c, 'v2');
    expect(() => synth(c)).toThrow(/IST0101 VirtualService shop\/reviews \('mesh\/vs-v2'\): routes to subset 'v2' of 'reviews.shop.svc.cluster.local', but no DestinationRule in this app defines that subset/);
  });
  test('passes when the subset exists', () => {
    const c = app();
    new DestinationRule(c, 'dr', { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    routeToSubset(c, 'v1');
    expect(codes(c)).toEqual([]);
  });
  test('is suppressed per resource with galley.istio.io/analyze-suppress', () => {
    const c = app();
    const vs = new VirtualService(c, 'vs', { metadata: { name: 'reviews', annotations: { 'galley.istio.io/analyze-suppress': 'IST0101' } }, hosts: [host] });
    vs.addHttpRoute({ route: [{ destination: { host, subset: 'v9' } }] });
    expect(codes(c)).toEqual([]);
    expect(() => synth(c)).not.toThrow();
  });
});

describe('VirtualService → Gateway', () => {
  const gateway = (c: Chart, hosts: string[]) => {
    pod(c, 'igw', { istio: 'ingressgateway' }, {}, 'istio-ingress');
    return new Gateway(c, 'gw', {
      metadata: { name: 'public', namespace: 'istio-ingress' },
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, protocol: PortProtocol.HTTP, name: 'http' }, hosts }],
    });
  };
  test('IST0101 when the gateway does not exist', () => {
    const c = app();
    new VirtualService(c, 'vs', { hosts: ['shop.example.com'], gateways: [GatewayReference.fromName('public', 'istio-ingress')] })
      .addHttpRoute({ route: [{ destination: { host } }] });
    expect(codes(c)).toEqual(['IST0101']);
  });
  test('IST0132 when the gateway does not serve the host; none when it does', () => {
    const c = app();
    const gw = gateway(c, ['shop.example.com']);
    new VirtualService(c, 'vs', { hosts: ['other.example.com'], gateways: [GatewayReference.fromGateway(gw)] }).addHttpRoute({ route: [{ destination: { host } }] });
    expect(codes(c)).toEqual(['IST0132']);
    const ok = app();
    const gw2 = gateway(ok, ['*.example.com']);
    new VirtualService(ok, 'vs', { hosts: ['other.example.com'], gateways: [GatewayReference.fromGateway(gw2)] }).addHttpRoute({ route: [{ destination: { host } }] });
    expect(codes(ok)).toEqual([]);
  });
  test('IST0149 routing on JWT claims at a gateway without RequestAuthentication', () => {
    const c = app();
    const gw = gateway(c, ['shop.example.com']);
    const vs = new VirtualService(c, 'vs', { hosts: ['shop.example.com'], gateways: [GatewayReference.fromGateway(gw)] });
    vs.addHttpRoute({ match: [{ headers: { '@request.auth.claims.group': StringMatch.exact('beta') } }], route: [{ destination: { host } }] });
    expect(codes(c)).toEqual(['IST0149']);
    new RequestAuthentication(c, 'ra', {
      metadata: { namespace: 'istio-ingress' },
      selector: WorkloadSelector.fromLabels({ istio: 'ingressgateway' }),
      jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }],
    });
    new AuthorizationPolicy(c, 'ap', {
      metadata: { namespace: 'istio-ingress' },
      selector: WorkloadSelector.fromLabels({ istio: 'ingressgateway' }),
      rules: [{ sources: [{ requestPrincipals: ['*'] }] }],
    });
    expect(codes(c)).toEqual([]);
  });
});

test('IST0109 two mesh VirtualServices for one host', () => {
  const c = app();
  new VirtualService(c, 'a', { hosts: [host] }).addHttpRoute({ route: [{ destination: { host } }] });
  new VirtualService(c, 'b', { hosts: ['reviews'] }).addHttpRoute({ route: [{ destination: { host } }] });
  expect(codes(c)).toEqual(['IST0109', 'IST0109']);
});

test('IST0112 a multi-port destination without a port', () => {
  const c = app();
  service(c, 'reviews', { app: 'reviews' }, [{ name: 'http', port: 9080 }, { name: 'grpc', port: 9090 }]);
  pod(c, 'reviews', { app: 'reviews' });
  const vs = new VirtualService(c, 'vs', { hosts: [host] });
  vs.addHttpRoute({ match: [{ uri: StringMatch.prefix('/v1') }], route: [{ destination: { host } }] });
  expect(codes(c)).toEqual(['IST0112']);
  vs.addHttpRoute({ route: [{ destination: { host, port: 9080 } }] });
  expect(codes(c)).toEqual(['IST0112']); // still the first route
});

test('IST0118 Service ports not named by protocol; appProtocol counts', () => {
  const c = app();
  service(c, 'a', { app: 'a' }, [{ name: 'web', port: 80 }, { name: 'http-api', port: 8080 }, { name: 'metrics', port: 9090, appProtocol: 'http' }]);
  expect(MeshAnalyzer.of(c).analyze().map(f => f.message)).toEqual([expect.stringMatching(/port 80 is named 'web'/)]);
});

test('IST0101 Gateway / IST0127 AuthorizationPolicy / IST0101 Sidecar selectors that match no workload', () => {
  const c = app();
  pod(c, 'reviews', { app: 'reviews' });
  new Gateway(c, 'gw', { selector: { istio: 'nothing' }, servers: [{ port: { number: 80, protocol: PortProtocol.HTTP, name: 'http' }, hosts: ['a.example.com'] }] });
  new AuthorizationPolicy(c, 'ap', { selector: WorkloadSelector.fromLabels({ app: 'ratings' }), action: AuthorizationAction.DENY, rules: [{}] });
  new Sidecar(c, 'sc', { workloadSelector: WorkloadSelector.fromLabels({ app: 'ratings' }), egress: [{ hosts: ['./*'] }] });
  expect(codes(c).sort()).toEqual(['IST0101', 'IST0101', 'IST0127']);
  const ok = app();
  pod(ok, 'ratings', { app: 'ratings' });
  new AuthorizationPolicy(ok, 'ap', { selector: WorkloadSelector.fromLabels({ app: 'ratings' }), action: AuthorizationAction.DENY, rules: [{}] });
  expect(codes(ok)).toEqual([]);
});

test('IST0145 conflicting gateways and IST0138 a shared certificate', () => {
  const c = app();
  pod(c, 'igw', { istio: 'ingressgateway' });
  for (const id of ['a', 'b']) {
    new Gateway(c, id, {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 443, protocol: PortProtocol.HTTPS, name: 'https' }, hosts: ['shop.example.com'], tls: { mode: ServerTlsMode.SIMPLE, credentialName: 'shop-cert' } }],
    });
  }
  expect(codes(c).sort()).toEqual(['IST0138', 'IST0138', 'IST0145']);
});

test('IST0128/IST0129 TLS origination without caCertificates', () => {
  const c = app();
  new DestinationRule(c, 'a', { host: 'a.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' as any } } });
  new DestinationRule(c, 'b', { host: 'b.example.com', trafficPolicy: { portLevelSettings: [{ port: 443, tls: { mode: 'SIMPLE' as any } }] } });
  new DestinationRule(c, 'ok', { host: 'c.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' as any, caCertificates: '/etc/ssl/certs/ca-certificates.crt' } } });
  expect(codes(c)).toEqual(['IST0128', 'IST0129']);
});

test('IST0134 a TCP ServiceEntry without addresses', () => {
  const c = app();
  new ServiceEntry(c, 'db', { hosts: ['db.example.com'], ports: [{ number: 5432, protocol: PortProtocol.TCP, name: 'tcp' }] });
  new ServiceEntry(c, 'ok', { hosts: ['db2.example.com'], addresses: ['10.0.0.5'], ports: [{ number: 5432, protocol: PortProtocol.TCP, name: 'tcp' }] });
  expect(codes(c)).toEqual(['IST0134']);
});

test('IST0123 a namespace with two injection labels', () => {
  const c = app();
  new ApiObject(c, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' } } });
  new ApiObject(c, 'ok', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { 'istio.io/rev': 'canary' } } });
  expect(codes(c)).toEqual(['IST0123']);
});

test('CDK8SISTIO001 a RequestAuthentication nothing enforces', () => {
  const c = app();
  const selector = WorkloadSelector.fromLabels({ app: 'httpbin' });
  pod(c, 'httpbin', { app: 'httpbin' });
  new RequestAuthentication(c, 'ra', { selector, jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] });
  expect(codes(c)).toEqual(['CDK8SISTIO001']);
  new AuthorizationPolicy(c, 'ap', { selector, rules: [{ sources: [{ requestPrincipals: ['*'] }] }] });
  expect(codes(c)).toEqual([]);
});

test('CDK8SISTIO002 a DENY policy with HTTP-only fields on a workload serving TCP', () => {
  const c = app();
  pod(c, 'db', { app: 'db' });
  service(c, 'db', { app: 'db' }, [{ name: 'tcp-postgres', port: 5432 }]);
  new AuthorizationPolicy(c, 'deny', { selector: WorkloadSelector.fromLabels({ app: 'db' }), action: AuthorizationAction.DENY, rules: [{ operations: [{ paths: ['/admin'] }] }] });
  expect(() => synth(c)).toThrow(/CDK8SISTIO002 AuthorizationPolicy .*is a DENY policy with HTTP-only fields, and its workloads serve TCP on port\(s\) 5432/);
});

test('CDK8SISTIO003 STRICT mTLS on a workload a LoadBalancer exposes; PERMISSIVE port or gateway is fine', () => {
  const c = app();
  pod(c, 'web', { app: 'web' });
  service(c, 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 8080 }], 'LoadBalancer');
  new PeerAuthentication(c, 'strict', { mtlsMode: MtlsMode.STRICT });
  expect(codes(c)).toEqual(['CDK8SISTIO003']);
  const ok = app();
  pod(ok, 'web', { app: 'web' });
  service(ok, 'web', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 8080 }], 'LoadBalancer');
  new PeerAuthentication(ok, 'strict', { mtlsMode: MtlsMode.STRICT, portLevelMtls: { 8080: MtlsMode.PERMISSIVE } as any, selector: WorkloadSelector.fromLabels({ app: 'web' }) });
  new IngressGateway(ok, 'igw');
  expect(codes(ok)).toEqual([]);
});

test('warnings print and do not fail; failOnWarnings makes them errors; enabled=false turns analysis off', () => {
  const c = app();
  service(c, 'a', { app: 'a' }, [{ name: 'web', port: 80 }]);
  new Sidecar(c, 'sc', { egress: [{ hosts: ['./*'] }] });
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(() => synth(c)).not.toThrow();
  expect(write).toHaveBeenCalledWith(expect.stringMatching(/^warning: IST0118 Service shop\/a/));
  write.mockRestore();
  MeshAnalyzer.of(c).failOnWarnings = true;
  expect(() => synth(c)).toThrow(/IST0118/);
  MeshAnalyzer.of(c).enabled = false;
  expect(() => synth(c)).not.toThrow();
});

describe('within one App.synth()', () => {
  // cdk8s validates the whole app once per chart; three charts here mean four validation passes.
  function threeCharts() {
    const a = Testing.app();
    const charts = ['a', 'b', 'c'].map(ns => new Chart(a, ns, { namespace: ns }));
    for (const c of charts) {
      pod(c, 'reviews', { app: 'reviews', version: 'v1' });
      new DestinationRule(c, 'dr', { host: `reviews.${c.namespace}.svc.cluster.local`, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    }
    return { a, charts };
  }

  test('the analysis runs once per synth, with nothing of the App or its objects replaced', () => {
    const { a, charts } = threeCharts();
    const analyses = jest.spyOn(MeshAnalyzer.of(a), 'analyze');
    const yaml = a.synthYaml(); // four validation passes
    expect(analyses).toHaveBeenCalledTimes(1);
    a.synth(); // writes files: one more synth, one more analysis (not four)
    expect(analyses).toHaveBeenCalledTimes(2);
    Testing.synth(charts[0]); // one chart alone: its one validation pass analyzes
    expect(analyses).toHaveBeenCalledTimes(3);
    expect(['synth', 'synthYaml'].filter(m => Object.prototype.hasOwnProperty.call(a, m))).toEqual([]);
    const objects = a.node.findAll().filter(ApiObject.isApiObject);
    expect(objects.filter(o => Object.prototype.hasOwnProperty.call(o, 'toJson'))).toEqual([]);
    MeshAnalyzer.of(a).enabled = false; // plain cdk8s rendering, every object resolved by cdk8s itself
    expect(a.synthYaml()).toEqual(yaml);
    expect(charts.flatMap(c => Testing.synth(c)).length).toBe(6);
  });

  test('a later synth sees changes made after the previous one', () => {
    const { a, charts } = threeCharts();
    a.synthYaml();
    routeToSubset(charts[1], 'v2'); // no such subset in namespace b
    expect(() => a.synthYaml()).toThrow(/IST0101 VirtualService b\/reviews \('b\/vs-v2'\)/);
  });
});
