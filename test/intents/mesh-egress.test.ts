import { EgressGateway, MeshEgress } from '../../src';
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
    expect(only(out, 'ServiceEntry').spec.ports).toEqual([{ number: 80, protocol: 'HTTP', name: 'http', targetPort: 443 }]);
    expect(only(out, 'DestinationRule').spec.trafficPolicy.portLevelSettings).toEqual([{ port: { number: 80 }, tls: { mode: 'SIMPLE', sni: 'api.github.com' } }]);
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

  test('rejects TLS origination through an egress gateway', () => {
    const c = chart();
    const e = new MeshEgress(c, 'ext', { egressGateway: new EgressGateway(c, 'egw') });
    expect(() => e.addExternalHost({ host: 'a.example.com', originateTls: true })).toThrow(/originateTls for 'a.example.com' is not supported together with an egress gateway/);
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
