import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as lib from '../../src';
import {
  AuthorizationPolicy, CanaryRelease, DestinationRule, Gateway, IngressGateway, IstioControlPlane, MeshEgress, MeshIngress, StringMatch,
  VirtualService, WorkloadSelector, ZeroTrustNamespace,
} from '../../src';

const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });

function workloads(c: Chart) {
  const deployment = new kplus.Deployment(c, 'v1', { containers: [{ image: 'example/reviews:v1', portNumber: 9080 }], podMetadata: { labels: { app: 'reviews', version: 'v1' } } });
  const service = new kplus.Service(c, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080, name: 'http' }] });
  return { deployment, service };
}

describe('argument shapes from JavaScript: clear errors, never a TypeError from inside', () => {
  test('a plain string where a StringMatch belongs', () => {
    const c = chart();
    const { deployment, service } = workloads(c);
    const versions = { stable: lib.CanaryVersion.fromWorkload(deployment), canary: lib.CanaryVersion.fromLabels({ version: 'v2' }) };
    expect(() => new CanaryRelease(c, 'canary', { service: lib.ServiceReference.fromService(service), ...versions, canaryHeaders: { 'end-user': 'jason' as any } }))
      .toThrow(/^CanaryRelease 'shop\/canary': props.canaryHeaders\['end-user'\] must be a StringMatch \(StringMatch.exact\/prefix\/regex\), got the string 'jason'\.$/);
  });

  test('a Service where a workload belongs, a Service where a ServiceReference belongs', () => {
    const c = chart();
    const { service } = workloads(c);
    expect(() => lib.CanaryVersion.fromWorkload(service)).toThrow(/^CanaryVersion.fromWorkload\(\): 'shop\/svc' is a Service, not a Deployment or StatefulSet or DaemonSet or ReplicaSet or Job or CronJob\.$/);
    expect(() => lib.CanaryVersion.fromWorkload({} as any)).toThrow(/^CanaryVersion.fromWorkload\(\): workload must be a construct/);
    expect(() => lib.ServiceReference.fromService(new Construct(c, 'bare'))).toThrow(/^ServiceReference.fromService\(\): 'shop\/bare' is not a Kubernetes object; pass a cdk8s-plus resource \(any version\)/);
    expect(() => new CanaryRelease(c, 'canary', { service: service as any, stable: lib.CanaryVersion.fromLabels({ v: '1' }), canary: lib.CanaryVersion.fromLabels({ v: '2' }) }))
      .toThrow(/^CanaryRelease 'shop\/canary': props.service must be a ServiceReference \(ServiceReference.fromHost\/fromService\), got a Service/);
  });

  test('a missing required prop, and missing props altogether', () => {
    const c = chart();
    expect(() => new VirtualService(c, 'vs', {} as any)).toThrow(/^VirtualService 'shop\/vs': props.hosts is required \(an array of strings\)\.$/);
    expect(() => new CanaryRelease(c, 'canary', undefined as any)).toThrow(/^CanaryRelease 'shop\/canary': props is required \(a CanaryReleaseProps\), got nothing\.$/);
    // Optional props (all of MeshIngress's are): left out is the classic API's missing gateway.
    expect(() => new MeshIngress(c, 'in', undefined as any)).toThrow(/^MeshIngress 'shop\/in': gateway is required with Istio's classic API/);
    expect(() => new DestinationRule(c, 'dr', null as any)).toThrow(/DestinationRule 'shop\/dr': props is required \(a DestinationRuleProps\), got null/);
  });

  test('a misspelt prop is named with the likely fix, instead of being ignored', () => {
    expect(() => new VirtualService(chart(), 'vs', { hosts: ['a'], Gateways: ['g'] } as any))
      .toThrow(/props.Gateways is not a property of VirtualServiceProps \(did you mean 'gateways'\?\); it would be ignored/);
  });

  test('a value outside an enum lists its members and their wire values', () => {
    expect(() => new AuthorizationPolicy(chart(), 'ap', { action: 'allow' as any }))
      .toThrow(/props.action must be one of AuthorizationAction.ALLOW, AuthorizationAction.DENY, .*got the string 'allow'/);
  });

  test('methods and static factories are checked too', () => {
    const vs = new VirtualService(chart(), 'vs', { hosts: ['a'] });
    expect(() => vs.addHttpRoute({ route: [{ destination: { host: 42 as any } }] }))
      .toThrow(/^VirtualService 'shop\/vs': addHttpRoute\(\): route.route\[0\].destination.host must be a string, got the number 42\.$/);
    expect(() => StringMatch.exact(42 as any)).toThrow(/^StringMatch.exact\(\): value must be a string, got the number 42\.$/);
    expect(() => WorkloadSelector.fromLabels('app=web' as any)).toThrow(/WorkloadSelector.fromLabels\(\): labels must be a map of strings, got the string 'app=web'/);
  });

  test('valid calls pass untouched', () => {
    const c = chart();
    const { deployment, service } = workloads(c);
    expect(() => new VirtualService(c, 'vs', { hosts: ['a'], gateways: [lib.GatewayReference.fromName('public')] })).not.toThrow();
    expect(() => WorkloadSelector.fromWorkload(deployment)).not.toThrow();
    expect(service.name).toBe('reviews');
  });
});

// Every public constructor and method of the jsii assembly, called with wrong values in
// every parameter (and every top-level prop): each either works or fails with an Error
// naming the class, never with a TypeError/RangeError from inside the library.
describe('fuzz: every public constructor and method, every parameter, wrong values', () => {
  const assembly = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.jsii'), 'utf8'));
  const BAD: unknown[] = [undefined, null, 42, Number.NaN, 'text', true, [], {}, () => 1, Symbol('s'), 10n, new Date(0), [null], { x: null }];
  const plausible = (type: any): unknown => type.primitive === 'string' ? 'x' : type.primitive === 'number' ? 1 : type.primitive === 'boolean' ? true : undefined;

  // A working instance per class whose instance methods take arguments.
  const instances: { [name: string]: (c: Chart) => any } = {
    AuthorizationPolicy: c => new AuthorizationPolicy(c, 'ap', {}),
    DestinationRule: c => new DestinationRule(c, 'dr', { host: 'reviews' }),
    Gateway: c => new Gateway(c, 'gw', { selector: { istio: 'ingressgateway' } }),
    GatewayWorkload: c => new IngressGateway(c, 'igw'),
    IstioControlPlane: c => new IstioControlPlane(c, 'cp'),
    MeshAnalyzer: c => lib.MeshAnalyzer.of(c),
    MeshEgress: c => new MeshEgress(c, 'eg'),
    MeshIngress: c => new MeshIngress(c, 'in', { gateway: lib.ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress') }),
    ExternalGatewayWorkload: () => lib.ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress'),
    IngressHost: c => new MeshIngress(c, 'in', { gateway: lib.ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress') })
      .addHost('a.example.com', { httpOnly: true }),
    RateLimitService: c => new lib.RateLimitService(c, 'rls'),
    GatewayApiGateway: c => new lib.GatewayApiGateway(c, 'kgw'),
    GatewayApiHttpRoute: c => new lib.GatewayApiHttpRoute(c, 'hr', { parentRefs: [{ kind: 'Service', name: 'web', port: 80 }] }),
    GatewayApiGrpcRoute: c => new lib.GatewayApiGrpcRoute(c, 'gr', { parentRefs: [{ kind: 'Service', name: 'web', port: 80 }] }),
    MeshService: c => lib.MeshService.of(c, lib.ServiceReference.fromHost('reviews.shop.svc.cluster.local')),
    VirtualService: c => new VirtualService(c, 'vs', { hosts: ['reviews'] }),
    ZeroTrustNamespace: c => new ZeroTrustNamespace(c, 'zt'),
    Waypoint: c => new lib.Waypoint(c, 'wp'),
  };

  const calls: Array<[string, (c: Chart, bad: unknown) => unknown]> = [];
  for (const type of Object.values<any>(assembly.types)) {
    if (type.kind !== 'class') continue;
    const cls = (lib as any)[type.name];
    if (type.initializer?.parameters?.length >= 3 && !type.abstract) {
      calls.push([`new ${type.name}(scope, id, <bad>)`, (c, bad) => new cls(c, 'x', bad)]);
      const propsType = assembly.types[type.initializer.parameters[2].type.fqn];
      for (const p of propsType?.properties ?? []) {
        calls.push([`new ${type.name}(scope, id, { ${p.name}: <bad> })`, (c, bad) => new cls(c, 'x', { [p.name]: bad })]);
      }
    }
    for (const m of type.methods ?? []) {
      (m.parameters ?? []).forEach((param: any, i: number) => {
        const args = (bad: unknown) => m.parameters.map((q: any, j: number) => j === i ? bad : plausible(q.type));
        if (m.static) {
          calls.push([`${type.name}.${m.name}(${param.name}: <bad>)`, (_c, bad) => cls[m.name](...args(bad))]);
        } else {
          const make = instances[type.name];
          if (!make) throw new Error(`the fuzz test needs a working instance of ${type.name} (add it to 'instances')`);
          calls.push([`${type.name}.${m.name}(${param.name}: <bad>)`, (c, bad) => make(c)[m.name](...args(bad))]);
        }
      });
    }
  }

  test(`covers the whole API (${calls.length} call shapes)`, () => {
    expect(calls.length).toBeGreaterThan(150);
  });

  test.each(calls)('%s', (_name, call) => {
    for (const bad of BAD) {
      try {
        call(chart(), bad);
      } catch (e: any) {
        if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || !(e instanceof Error)) {
          throw new Error(`${_name} with ${String(typeof bad === 'symbol' ? 'a symbol' : typeof bad === 'bigint' ? 'a bigint' : JSON.stringify(bad))} crashed inside the library: ${e?.stack ?? e}`);
        }
      }
    }
  });
});
