import { ApiObject, Duration } from 'cdk8s';
import { CanaryRelease, CanaryVersion, ExternalGatewayWorkload, IngressGateway, MeshIngress, ServiceReference, ServiceResilience, StringMatch } from '../../src';
import { chart, ofKind, only, synth, partialChart } from '../support/synth';
import { versioned } from '../support/workloads';

// Gateway pods deployed outside the app (e.g. by Istio's chart).
const outside = ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress');

describe('MeshIngress', () => {
  test('HTTPS per host with HTTP→HTTPS redirect, selector derived from the IngressGateway', () => {
    const c = chart('shop');
    const { service } = versioned(c, 'web', ['v1'], 8080);
    const gateway = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    const ingress = new MeshIngress(c, 'public', { gateway });
    const host = ingress.addHost('shop.example.com', { credentialName: 'shop-cert' });
    const web = ServiceReference.fromService(service);
    host.addRoute({ path: StringMatch.prefix('/api'), service: web, timeout: Duration.seconds(5), retries: { attempts: 2 } });
    host.addRoute({ service: web });
    const out = synth(c);
    expect(ApiObject.of(ingress)).toBe(ingress.gateway);
    expect(host.virtualService!.hosts).toEqual(['shop.example.com']);
    const gw = only(out, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-ingress');
    expect(gw.spec.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(gw.spec.servers.map((s: any) => [s.port.number, s.tls])).toEqual([[443, { mode: 'SIMPLE', credentialName: 'shop-cert' }], [80, { httpsRedirect: true }]]);
    const vs = only(out, 'VirtualService');
    expect(vs.spec.gateways).toEqual([`istio-ingress/${gw.metadata.name}`]);
    expect(vs.spec.http[0]).toEqual({ match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'web.shop.svc.cluster.local' } }], timeout: '5s', retries: { attempts: 2 } });
    expect(out).toMatchSnapshot();
  });

  test('a route to a service with a CanaryRelease is split the same way, whichever comes first', () => {
    const c = partialChart('shop');
    const { service, deployments: [v1, v2] } = versioned(c, 'web', ['v1', 'v2'], 8080);
    const ingress = new MeshIngress(c, 'public', { gateway: ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-ingress') });
    ingress.addHost('shop.example.com', { credentialName: 'shop-cert' }).addRoute({ service: ServiceReference.fromService(service) });
    new CanaryRelease(c, 'web-canary', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(v1),
      canary: CanaryVersion.fromWorkload(v2),
      canaryWeight: 20,
      canaryHeaders: { 'x-beta': StringMatch.exact('1') },
    });
    const vs = ofKind(synth(c), 'VirtualService').find(v => v.spec.gateways);
    expect(vs.spec.http[0].match).toEqual([{ headers: { 'x-beta': { exact: '1' } }, uri: { prefix: '/' } }]);
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 80], ['v2', 20]]);
  });

  test('httpOnly is an explicit opt-out of TLS', () => {
    const c = chart();
    const ingress = new MeshIngress(c, 'i', { gateway: outside });
    ingress.addHost('a.example.com', { httpOnly: true }).addRoute({ service: ServiceReference.fromHost('a.default.svc.cluster.local') });
    expect(only(synth(c), 'Gateway').spec.servers).toEqual([{ name: 'http-a-example-com', port: { number: 80, protocol: 'HTTP', name: 'http-a-example-com' }, hosts: ['a.example.com'] }]);
  });

  test('a route timeout next to the service\'s own timeout is a conflict naming both', () => {
    const c = chart('shop');
    const { service } = versioned(c, 'web', ['v1'], 8080);
    const web = ServiceReference.fromService(service);
    new ServiceResilience(c, 'web-resilience', { service: web, timeout: Duration.seconds(2) });
    const host = new MeshIngress(c, 'public', { gateway: outside }).addHost('shop.example.com', { httpOnly: true });
    expect(() => host.addRoute({ service: web, timeout: Duration.seconds(5) }))
      .toThrow(/MeshIngress 'test\/public': the route prefix '\/' sets a timeout, and so does ServiceResilience 'test\/web-resilience' for 'web.shop.svc.cluster.local'/);
  });

  describe('rejects bad input', () => {
    const ingress = () => new MeshIngress(chart(), 'i', { gateway: outside });
    test('TLS without a credential', () => {
      expect(() => ingress().addHost('a.example.com')).toThrow(/MeshIngress 'test\/i': host 'a.example.com' has TLS but no credential: set credentialName/);
    });
    test('invalid host', () => {
      expect(() => ingress().addHost('not a host', { httpOnly: true })).toThrow(/host must be a DNS name/);
    });
    const a = ServiceReference.fromHost('a.default.svc.cluster.local');
    test('shadowed route', () => {
      const h = ingress().addHost('a.example.com', { httpOnly: true });
      h.addRoute({ path: StringMatch.prefix('/'), service: a });
      expect(() => h.addRoute({ path: StringMatch.prefix('/api'), service: ServiceReference.fromHost('b.default.svc.cluster.local') }))
        .toThrow(/route prefix '\/api' on 'a.example.com' is shadowed by the earlier route prefix '\/' and would never match. Add the more specific route first/);
    });
    test('shadowing follows Istio first-match: prefixes shadow longer paths, exact paths only themselves', () => {
      const h = ingress().addHost('a.example.com', { httpOnly: true });
      h.addRoute({ path: StringMatch.exact('/api'), service: a });
      h.addRoute({ path: StringMatch.prefix('/api'), service: a }); // '/api/x' still reaches it
      h.addRoute({ path: StringMatch.prefix('/svc-10/'), service: a });
      h.addRoute({ path: StringMatch.prefix('/svc-1/'), service: a }); // not a prefix of '/svc-10/'
      expect(() => h.addRoute({ path: StringMatch.exact('/api'), service: a })).toThrow(/route exact '\/api' .* shadowed by the earlier route prefix '\/api'/);
      expect(() => h.addRoute({ path: StringMatch.prefix('/svc-10/a'), service: a })).toThrow(/shadowed by the earlier route prefix '\/svc-10\/'/);
      const j = ingress().addHost('a.example.com', { httpOnly: true });
      j.addRoute({ path: StringMatch.exact('/health'), service: a });
      expect(() => j.addRoute({ path: StringMatch.exact('/health'), service: a })).toThrow(/route exact '\/health' .* shadowed by the earlier route exact '\/health'/);
    });
    test('a host added twice, and the handle of one never added', () => {
      const i = ingress();
      i.addHost('a.example.com', { httpOnly: true });
      expect(i.host('a.example.com').host).toBe('a.example.com');
      expect(() => i.addHost('a.example.com', { httpOnly: true })).toThrow(/host 'a.example.com' is already added/);
      expect(() => i.host('b.example.com')).toThrow(/host 'b.example.com' is not served; call addHost/);
    });
    test('a host without routes fails at synth', () => {
      const c = chart();
      new MeshIngress(c, 'i', { gateway: outside }).addHost('a.example.com', { httpOnly: true });
      expect(() => synth(c)).toThrow(/host 'a.example.com' has no routes; call addRoute\(\) on the handle addHost\(\) returned/);
    });
    test('a path that is not absolute', () => {
      const h = ingress().addHost('a.example.com', { httpOnly: true });
      expect(() => h.addRoute({ path: StringMatch.prefix('api'), service: a })).toThrow(/path must start with '\/', got 'api'/);
    });
    test('a gateway selector without labels', () => {
      expect(() => new MeshIngress(chart(), 'i', { gateway: ExternalGatewayWorkload.fromSelector({}, 'istio-ingress') })).toThrow(/gateway has no labels/);
    });
    test('ingress without hosts fails at synth', () => {
      const c = chart();
      new MeshIngress(c, 'i', { gateway: outside });
      expect(() => synth(c)).toThrow(/MeshIngress has no hosts/);
    });
    test('gateway without the TLS port', () => {
      const c = chart();
      const gateway = new IngressGateway(c, 'gw', { ports: [{ port: 80, targetPort: 8080, name: 'http' }] });
      expect(() => new MeshIngress(c, 'i', { gateway }).addHost('a.example.com', { credentialName: 'c' })).toThrow(/exposes no Service port 443, which this Gateway listens on \(IST0162\)/);
    });
  });

  test('any host (*), other ports, and gateway pods outside the app (no IST0101 for them)', () => {
    const c = chart('shop');
    const { service } = versioned(c, 'web', ['v1'], 8080);
    const ingress = new MeshIngress(c, 'edge', { gateway: outside });
    ingress.addHost('*', { credentialName: 'edge-cert', httpsPort: 8443, httpPort: 8080 }).addRoute({ service: ServiceReference.fromService(service) });
    const out = synth(c);
    const gw = only(out, 'Gateway');
    expect(gw.metadata.annotations).toEqual({ 'galley.istio.io/analyze-suppress': 'IST0101' });
    expect(gw.spec.servers.map((s: any) => [s.name, s.port.number, s.hosts])).toEqual([['https-any-host', 8443, ['*']], ['http-any-host', 8080, ['*']]]);
    expect(only(out, 'VirtualService').metadata.name).toBe('edge-any-host');
  });

  test('rejects a credentialName that cannot be a Secret name', () => {
    const ingress = new MeshIngress(chart('shop'), 'public', { gateway: outside });
    expect(() => ingress.addHost('shop.example.com', { credentialName: 'Shop_Cert' }))
      .toThrow(/MeshIngress 'test\/public': credentialName of host 'shop.example.com' \(a Secret name\) must be a DNS-1123 subdomain/);
  });
});
