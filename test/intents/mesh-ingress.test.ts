import { Duration } from 'cdk8s';
import { CanaryRelease, IngressGateway, MeshIngress, StringMatch } from '../../src';
import { chart, ofKind, only, synth, partialChart } from '../support/synth';
import { versioned } from '../support/workloads';

describe('MeshIngress', () => {
  test('HTTPS per host with HTTP→HTTPS redirect, selector derived from the IngressGateway', () => {
    const c = chart('shop');
    const { service } = versioned(c, 'web', ['v1'], 8080);
    const gateway = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    const ingress = new MeshIngress(c, 'public', { gateway });
    ingress.addHost('shop.example.com', { credentialName: 'shop-cert' });
    ingress.addRoute({ host: 'shop.example.com', pathPrefix: '/api', service, timeout: Duration.seconds(5), retries: { attempts: 2 } });
    ingress.addRoute({ host: 'shop.example.com', service });
    const out = synth(c);
    const gw = only(out, 'Gateway');
    expect(gw.metadata.namespace).toBe('istio-ingress');
    expect(gw.spec.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(gw.spec.servers.map((s: any) => [s.port.number, s.tls])).toEqual([[443, { mode: 'SIMPLE', credentialName: 'shop-cert' }], [80, { httpsRedirect: true }]]);
    const vs = only(out, 'VirtualService');
    expect(vs.spec.gateways).toEqual([`istio-ingress/${gw.metadata.name}`]);
    expect(vs.spec.http[0]).toEqual({ match: [{ uri: { prefix: '/api' } }], route: [{ destination: { host: 'web.shop.svc.cluster.local' } }], timeout: '5s', retries: { attempts: 2 } });
    expect(out).toMatchSnapshot();
  });

  test('routes through a CanaryRelease split the same way', () => {
    const c = partialChart('shop');
    const { service, deployments: [v1, v2] } = versioned(c, 'web', ['v1', 'v2'], 8080);
    const canary = new CanaryRelease(c, 'web-canary', { service, stable: { deployment: v1 }, canary: { deployment: v2 }, canaryWeight: 20, canaryHeaders: { 'x-beta': StringMatch.exact('1') } });
    const ingress = new MeshIngress(c, 'public', { gatewaySelector: { istio: 'ingressgateway' }, gatewayNamespace: 'istio-ingress' });
    ingress.addHost('shop.example.com', { credentialName: 'shop-cert' });
    ingress.addRoute({ host: 'shop.example.com', canary });
    const vs = ofKind(synth(c), 'VirtualService').find(v => v.spec.gateways);
    expect(vs.spec.http[0].match).toEqual([{ headers: { 'x-beta': { exact: '1' } }, uri: { prefix: '/' } }]);
    expect(vs.spec.http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 80], ['v2', 20]]);
  });

  test('httpOnly is an explicit opt-out of TLS', () => {
    const c = chart();
    const ingress = new MeshIngress(c, 'i', { gatewaySelector: { istio: 'ingressgateway' } });
    ingress.addHost('a.example.com', { httpOnly: true });
    ingress.addRoute({ host: 'a.example.com', serviceHost: 'a.default.svc.cluster.local' });
    expect(only(synth(c), 'Gateway').spec.servers).toEqual([{ name: 'http-a-example-com', port: { number: 80, protocol: 'HTTP', name: 'http-a-example-com' }, hosts: ['a.example.com'] }]);
  });

  describe('rejects bad input', () => {
    const ingress = () => new MeshIngress(chart(), 'i', { gatewaySelector: { istio: 'ingressgateway' } });
    test('TLS without a credential', () => {
      expect(() => ingress().addHost('a.example.com')).toThrow(/MeshIngress 'test\/i': host 'a.example.com' has TLS but no credential: set credentialName/);
    });
    test('invalid host', () => {
      expect(() => ingress().addHost('not a host', { httpOnly: true })).toThrow(/host must be a DNS name/);
    });
    test('shadowed route', () => {
      const i = ingress();
      i.addHost('a.example.com', { httpOnly: true });
      i.addRoute({ host: 'a.example.com', pathPrefix: '/', serviceHost: 'a.default.svc.cluster.local' });
      expect(() => i.addRoute({ host: 'a.example.com', pathPrefix: '/api', serviceHost: 'b.default.svc.cluster.local' }))
        .toThrow(/route prefix '\/api' on 'a.example.com' is shadowed by the earlier route prefix '\/' and would never match. Add the more specific route first/);
    });
    test('shadowing follows Istio first-match: prefixes shadow longer paths, exact paths only themselves', () => {
      const i = ingress();
      i.addHost('a.example.com', { httpOnly: true });
      const to = (path: any) => ({ host: 'a.example.com', serviceHost: 'a.default.svc.cluster.local', ...path });
      i.addRoute(to({ exactPath: '/api' }));
      i.addRoute(to({ pathPrefix: '/api' })); // '/api/x' still reaches it
      i.addRoute(to({ pathPrefix: '/svc-10/' }));
      i.addRoute(to({ pathPrefix: '/svc-1/' })); // not a prefix of '/svc-10/'
      expect(() => i.addRoute(to({ exactPath: '/api' }))).toThrow(/route exact '\/api' .* shadowed by the earlier route prefix '\/api'/);
      expect(() => i.addRoute(to({ pathPrefix: '/svc-10/a' }))).toThrow(/shadowed by the earlier route prefix '\/svc-10\/'/);
      const j = ingress();
      j.addHost('a.example.com', { httpOnly: true });
      j.addRoute(to({ exactPath: '/health' }));
      expect(() => j.addRoute(to({ exactPath: '/health' }))).toThrow(/route exact '\/health' .* shadowed by the earlier route exact '\/health'/);
    });
    test('route for a host not served', () => {
      expect(() => ingress().addRoute({ host: 'b.example.com', serviceHost: 'b.default.svc.cluster.local' })).toThrow(/route host 'b.example.com' is not served/);
    });
    test('no gateway', () => {
      expect(() => new MeshIngress(chart(), 'i', {})).toThrow(/set exactly one of gateway .* or gatewaySelector/);
    });
    test('route without a target', () => {
      const i = ingress();
      i.addHost('a.example.com', { httpOnly: true });
      expect(() => i.addRoute({ host: 'a.example.com' })).toThrow(/needs exactly one target/);
    });
    test('ingress without hosts fails at synth', () => {
      const c = chart();
      new MeshIngress(c, 'i', { gatewaySelector: { istio: 'ingressgateway' } });
      expect(() => synth(c)).toThrow(/MeshIngress has no hosts/);
    });
    test('gateway without the TLS port', () => {
      const c = chart();
      const gateway = new IngressGateway(c, 'gw', { ports: [{ port: 80, targetPort: 8080, name: 'http' }] });
      expect(() => new MeshIngress(c, 'i', { gateway }).addHost('a.example.com', { credentialName: 'c' })).toThrow(/exposes no Service port 443, which this Gateway listens on \(IST0162\)/);
    });
  });

  test('rejects a credentialName that cannot be a Secret name', () => {
    const ingress = new MeshIngress(chart('shop'), 'public', { gatewaySelector: { istio: 'ingressgateway' } });
    expect(() => ingress.addHost('shop.example.com', { credentialName: 'Shop_Cert' }))
      .toThrow(/MeshIngress 'test\/public': credentialName of host 'shop.example.com' \(a Secret name\) must be a DNS-1123 subdomain/);
  });
});
