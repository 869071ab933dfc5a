import { EgressGateway, ExternalGatewayWorkload, MeshEgress } from '../../src';
import { chart, ofKind, only, synth } from '../support/synth';

describe('MeshEgress', () => {
  test('a ServiceEntry per host; registryOnly adds a REGISTRY_ONLY Sidecar', () => {
    const c = chart('shop');
    const egress = new MeshEgress(c, 'ext', { registryOnly: true });
    egress.addExternalHost({ host: 'api.example.com' });
    const out = synth(c);
    expect(only(out, 'ServiceEntry').spec).toEqual({ hosts: ['api.example.com'], ports: [{ number: 443, protocol: 'TLS', name: 'tls' }], location: 'MESH_EXTERNAL', resolution: 'DNS' });
    expect(only(out, 'Sidecar').spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
  });

  test('TLS origination: HTTP port 80 to 443 plus a SIMPLE TLS DestinationRule', () => {
    const c = chart('shop');
    new MeshEgress(c, 'ext').addExternalHost({ host: 'api.github.com', originateTls: true });
    const out = synth(c);
    expect(only(out, 'DestinationRule').spec.trafficPolicy.portLevelSettings).toEqual([{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'api.github.com', caCertificates: '/etc/ssl/certs/ca-certificates.crt' } }]);
  });

  test('through an egress gateway: Gateway, and a VirtualService chaining mesh → gateway → host', () => {
    const c = chart('istio-egress');
    const egressGateway = new EgressGateway(c, 'egw', { namespace: 'istio-egress' });
    new MeshEgress(c, 'ext', { egressGateway }).addExternalHost({ host: 'edition.cnn.com' });
    const out = synth(c);
    const gw = only(out, 'Gateway');
    expect(gw.spec.servers[0].tls).toEqual({ mode: 'PASSTHROUGH' });
    const vs = only(out, 'VirtualService');
    expect(vs.spec.tls[0].route[0].destination).toEqual({ host: 'istio-egressgateway.istio-egress.svc.cluster.local', port: { number: 443 } });
    expect(vs.spec.tls[1].route[0].destination).toEqual({ host: 'edition.cnn.com', port: { number: 443 } });
    expect(ofKind(out, 'ServiceEntry')).toHaveLength(1);
    expect(out.filter(o => o.apiVersion.includes('istio'))).toMatchSnapshot();
  });

  test('rejects a duplicate host', () => {
    const e = new MeshEgress(chart(), 'ext');
    e.addExternalHost({ host: 'a.example.com' });
    expect(() => e.addExternalHost({ host: 'a.example.com' })).toThrow(/MeshEgress 'test\/ext': host 'a.example.com' is already registered/);
  });

  test('TLS origination at the egress gateway: mutual TLS to the gateway, SIMPLE TLS from it', () => {
    const c = chart('istio-egress');
    const egressGateway = new EgressGateway(c, 'egw', { namespace: 'istio-egress' });
    new MeshEgress(c, 'ext', { egressGateway }).addExternalHost({ host: 'edition.cnn.com', originateTls: true });
    const out = synth(c);
    expect(only(out, 'ServiceEntry').spec.ports).toEqual([
      { number: 80, protocol: 'HTTP', name: 'http' },
      { number: 443, protocol: 'HTTPS', name: 'https' },
    ]);
    expect(only(out, 'Gateway').spec.servers).toEqual([
      { name: 'https-edition-cnn-com', port: { number: 80, protocol: 'HTTPS', name: 'https-edition-cnn-com' }, hosts: ['edition.cnn.com'], tls: { mode: 'ISTIO_MUTUAL' } },
    ]);
    const [toGateway, toHost] = ofKind(out, 'DestinationRule');
    expect(toGateway.spec.host).toBe('istio-egressgateway.istio-egress.svc.cluster.local');
    expect(toGateway.spec.subsets[0].trafficPolicy.portLevelSettings).toEqual([{ port: { number: 80 }, tls: { mode: 'ISTIO_MUTUAL', sni: 'edition.cnn.com' } }]);
    expect(toHost.spec.trafficPolicy.portLevelSettings).toEqual([{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'edition.cnn.com', caCertificates: '/etc/ssl/certs/ca-certificates.crt' } }]);
    const vs = only(out, 'VirtualService');
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'istio-egressgateway.istio-egress.svc.cluster.local', subset: 'edition-cnn-com', port: { number: 80 } });
    expect(vs.spec.http[1].match[0].gateways).toEqual(['istio-egress/ext']);
    expect(vs.spec.http[1].route[0].destination).toEqual({ host: 'edition.cnn.com', port: { number: 443 } });
    expect(out.filter(o => o.apiVersion.includes('istio'))).toMatchSnapshot();
  });

  test('two MeshEgress on one egress gateway emit objects of their own names', () => {
    const c = chart('istio-egress');
    const egressGateway = new EgressGateway(c, 'egw', { namespace: 'istio-egress' });
    new MeshEgress(c, 'payments', { egressGateway }).addExternalHost({ host: 'api.stripe.com', originateTls: true });
    new MeshEgress(c, 'news', { egressGateway }).addExternalHost({ host: 'edition.cnn.com', originateTls: true });
    const names = (kind: string) => ofKind(synth(c), kind).map(o => o.metadata.name);
    expect(names('Gateway')).toEqual(['payments', 'news']);
    expect(names('DestinationRule')).toEqual(['payments-gateway', 'api-stripe-com', 'news-gateway', 'edition-cnn-com']);
  });

  test('TLS origination at the sidecar keeps the HTTPS port registered for clients that speak TLS', () => {
    const c = chart();
    new MeshEgress(c, 'ext').addExternalHost({ host: 'api.github.com', originateTls: true });
    expect(only(synth(c), 'ServiceEntry').spec.ports).toEqual([
      { number: 80, protocol: 'HTTP', name: 'http', targetPort: 443 },
      { number: 443, protocol: 'HTTPS', name: 'https' },
    ]);
  });

  test('an egress gateway outside the app needs its Service name', () => {
    expect(() => new MeshEgress(chart(), 'ext', { egressGateway: ExternalGatewayWorkload.fromSelector({ istio: 'egressgateway' }, 'istio-system') }))
      .toThrow(/MeshEgress 'test\/ext': egressGateway .* has no known Service host; .*ExternalGatewayWorkload.fromSelector\(labels, namespace, serviceName\)/);
    const c = chart();
    const e = new MeshEgress(c, 'ext', { egressGateway: ExternalGatewayWorkload.fromSelector({ istio: 'egressgateway' }, 'istio-system', 'istio-egressgateway') });
    e.addExternalHost({ host: 'a.example.com' });
    expect(only(synth(c), 'Gateway').metadata).toEqual({ name: 'ext', namespace: 'istio-system', annotations: { 'galley.istio.io/analyze-suppress': 'IST0101' } });
  });

  test('rejects a route through a gateway that lacks the port', () => {
    const c = chart();
    const e = new MeshEgress(c, 'ext', { egressGateway: new EgressGateway(c, 'egw', { ports: [{ name: 'tls', port: 443, targetPort: 8443 }] }) });
    expect(() => e.addExternalHost({ host: 'a.example.com', originateTls: true })).toThrow(/egress gateway 'istio-egressgateway' exposes no Service port 80; add it to the gateway's ports/);
  });

  test('rejects a wildcard host', () => {
    expect(() => new MeshEgress(chart(), 'ext').addExternalHost({ host: '*.example.com' })).toThrow(/host must not be a wildcard host/);
  });

  test('fails at synth without hosts', () => {
    const c = chart();
    new MeshEgress(c, 'ext');
    expect(() => synth(c)).toThrow(/MeshEgress has no external hosts/);
  });
});

test('every object MeshEgress renders is a typed property', () => {
  const c = chart('istio-egress');
  const egressGateway = new EgressGateway(c, 'egw', { namespace: 'istio-egress' });
  const egress = new MeshEgress(c, 'ext', { egressGateway, registryOnly: true });
  const se = egress.addExternalHost({ host: 'edition.cnn.com', originateTls: true });
  expect(se.toJson().spec.hosts).toEqual(['edition.cnn.com']);
  expect(egress.gateway!.name).toBe('ext');
  expect(egress.gatewayDestinationRule!.subsetNames).toEqual(['edition-cnn-com']);
  expect(egress.sidecar!.toJson().spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
  expect(egress.virtualServices.map(v => v.hosts)).toEqual([['edition.cnn.com']]);
});
