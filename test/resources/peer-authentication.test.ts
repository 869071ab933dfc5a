import { MtlsMode, PeerAuthentication, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('PeerAuthentication', () => {
  test('namespace-wide STRICT', () => {
    const c = chart('shop');
    new PeerAuthentication(c, 'default', { metadata: { name: 'default' }, mtlsMode: MtlsMode.STRICT });
    const out = only(synth(c), 'PeerAuthentication');
    expect(out.apiVersion).toBe('security.istio.io/v1');
    expect(out.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(out).toMatchSnapshot();
  });

  test('per-port PERMISSIVE on a selected workload', () => {
    const c = chart('shop');
    new PeerAuthentication(c, 'probes', { selector: WorkloadSelector.fromLabels({ app: 'web' }), mtlsMode: MtlsMode.STRICT, portLevelMtls: { 8080: MtlsMode.PERMISSIVE } });
    expect(only(synth(c), 'PeerAuthentication').spec).toEqual({ selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } });
  });

  test('rejects portLevelMtls without a selector', () => {
    expect(() => new PeerAuthentication(chart(), 'pa', { portLevelMtls: { 8080: MtlsMode.DISABLE } }))
      .toThrow(/PeerAuthentication 'test\/pa': portLevelMtls needs a selector/);
  });

  test('rejects an invalid port key', () => {
    expect(() => new PeerAuthentication(chart(), 'pa', { selector: WorkloadSelector.fromLabels({ app: 'a' }), portLevelMtls: { http: MtlsMode.DISABLE } })).toThrow(/portLevelMtls\['http'\] must be a port number/);
  });
});
