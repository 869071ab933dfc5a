import { Gateway, PortProtocol, ServerTlsMode, TlsVersion } from '../../src';
import { chart, only, synth } from '../support/synth';

const selector = { istio: 'ingressgateway' };

describe('Gateway', () => {
  test('HTTP redirect server and HTTPS server with credentialName', () => {
    const c = chart('istio-ingress');
    const gw = new Gateway(c, 'public', {
      metadata: { name: 'public' },
      selector,
      servers: [
        { port: { number: 80, protocol: PortProtocol.HTTP, name: 'http' }, hosts: ['shop.example.com'], tls: { httpsRedirect: true } },
        { port: { number: 443, protocol: PortProtocol.HTTPS, name: 'https' }, hosts: ['shop/shop.example.com'], tls: { mode: ServerTlsMode.SIMPLE, credentialName: 'shop-cert', minProtocolVersion: TlsVersion.TLSV1_2 } },
      ],
    });
    const out = only(synth(c), 'Gateway');
    expect(out.apiVersion).toBe('networking.istio.io/v1');
    expect(out.spec.selector).toEqual(selector);
    expect(out.spec.servers[1].tls).toEqual({ mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_2' });
    expect(gw.hosts).toEqual(['shop.example.com']);
    expect(out).toMatchSnapshot();
  });

  test('passthrough, mutual and default port names', () => {
    const c = chart();
    new Gateway(c, 'gw', {
      selector,
      servers: [
        { port: { number: 443, protocol: PortProtocol.TLS }, hosts: ['*.example.com'], tls: { mode: ServerTlsMode.PASSTHROUGH } },
        { port: { number: 8443, protocol: PortProtocol.HTTPS }, hosts: ['api.example.com'], tls: { mode: ServerTlsMode.MUTUAL, credentialName: 'api-cert' } },
      ],
    });
    const out = only(synth(c), 'Gateway');
    expect(out.spec.servers[0].port).toEqual({ number: 443, protocol: 'TLS', name: 'tls-443' });
    expect(out.spec.servers[1].tls.mode).toBe('MUTUAL');
  });

  test('a Gateway without servers fails validation at synth', () => {
    const c = chart();
    new Gateway(c, 'gw', { selector });
    expect(() => synth(c)).toThrow(/Gateway has no servers/);
  });

  describe('rejects bad input', () => {
    const server = (s: any) => () => new Gateway(chart(), 'gw', { selector, servers: [s] });
    test('httpsRedirect on a non-HTTP server', () => {
      expect(server({ port: { number: 443, protocol: PortProtocol.HTTPS }, hosts: ['a.example.com'], tls: { httpsRedirect: true, mode: ServerTlsMode.SIMPLE, credentialName: 'c' } }))
        .toThrow(/Gateway 'test\/gw': servers\[0\]\.tls\.httpsRedirect is only valid on an HTTP server, but port 443 is HTTPS/);
    });
    test('HTTPS without a tls mode', () => {
      expect(server({ port: { number: 443, protocol: PortProtocol.HTTPS }, hosts: ['a.example.com'] })).toThrow(/is HTTPS but has no tls.mode/);
    });
    test('SIMPLE without a credential', () => {
      expect(server({ port: { number: 443, protocol: PortProtocol.HTTPS }, hosts: ['a.example.com'], tls: { mode: ServerTlsMode.SIMPLE } })).toThrow(/tls mode SIMPLE needs a certificate: set credentialName/);
    });
    test('more than two credentialNames', () => {
      expect(server({ port: { number: 443, protocol: PortProtocol.HTTPS }, hosts: ['a.example.com'], tls: { mode: ServerTlsMode.SIMPLE, credentialNames: ['a', 'b', 'c'] } })).toThrow(/accepts at most two/);
    });
    test('TLS 1.0 without ciphers', () => {
      expect(server({ port: { number: 443, protocol: PortProtocol.HTTPS }, hosts: ['a.example.com'], tls: { mode: ServerTlsMode.SIMPLE, credentialName: 'c', minProtocolVersion: TlsVersion.TLSV1_0 } })).toThrow(/below TLS 1.2 and needs explicit cipherSuites/);
    });
    test('invalid host', () => {
      expect(server({ port: { number: 80, protocol: PortProtocol.HTTP }, hosts: ['bad host'] })).toThrow(/servers\[0\]\.hosts\[0\] must be a DNS name/);
    });
    test('no hosts', () => {
      expect(server({ port: { number: 80, protocol: PortProtocol.HTTP }, hosts: [] })).toThrow(/servers\[0\]\.hosts must name at least one host/);
    });
    test('invalid port number', () => {
      expect(server({ port: { number: 70000, protocol: PortProtocol.HTTP }, hosts: ['*'] })).toThrow(/servers\[0\]\.port\.number must be a port number between 1 and 65535, got 70000/);
    });
    test('empty selector', () => {
      expect(() => new Gateway(chart(), 'gw', { selector: {} })).toThrow(/selector is empty/);
    });
    test('duplicate server names', () => {
      expect(() => new Gateway(chart(), 'gw', { selector, servers: [{ name: 'a', port: { number: 80, protocol: PortProtocol.HTTP }, hosts: ['*'] }, { name: 'a', port: { number: 81, protocol: PortProtocol.HTTP }, hosts: ['*'] }] })).toThrow(/name 'a' is already used/);
    });
  });
});
