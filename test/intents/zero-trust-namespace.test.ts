import { MeshPrincipal, WorkloadSelector, ZeroTrustNamespace } from '../../src';
import { chart, ofKind, synth } from '../support/synth';

describe('ZeroTrustNamespace', () => {
  test('STRICT mTLS, allow-nothing and explicit allows', () => {
    const c = chart('shop');
    const zt = new ZeroTrustNamespace(c, 'zt', { permissivePorts: [{ selector: WorkloadSelector.fromLabels({ app: 'web' }), ports: [8080] }] });
    zt.allow({ name: 'api-from-web', to: WorkloadSelector.fromLabels({ app: 'api' }), fromPrincipals: [MeshPrincipal.serviceAccount('web', 'shop')], ports: [8080], methods: ['GET'] });
    const out = synth(c);
    const pas = ofKind(out, 'PeerAuthentication');
    expect(pas[0].spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(pas[1].spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
    const aps = ofKind(out, 'AuthorizationPolicy');
    expect(aps[0].metadata.name).toBe('allow-nothing');
    expect(aps[0].spec).toEqual({ action: 'ALLOW' });
    expect(aps[1].spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/web']);
    expect(aps[1].spec.rules[0].to[0].operation).toEqual({ ports: ['8080'], methods: ['GET'] });
    expect(out).toMatchSnapshot();
  });

  test('rejects an allow without a source', () => {
    expect(() => new ZeroTrustNamespace(chart(), 'zt').allow({ to: WorkloadSelector.fromLabels({ app: 'a' }) })).toThrow(/ZeroTrustNamespace 'test\/zt': allow\(\) needs fromPrincipals or fromNamespaces/);
  });

  test('rejects permissive ports without ports', () => {
    expect(() => new ZeroTrustNamespace(chart(), 'zt', { permissivePorts: [{ selector: WorkloadSelector.fromLabels({ app: 'a' }), ports: [] }] })).toThrow(/permissivePorts\[0\]\.ports must list at least one port/);
  });

  test('rejects a principal that no workload can have', () => {
    expect(() => MeshPrincipal.serviceAccount('Bad SA', 'shop')).toThrow(/^MeshPrincipal.serviceAccount\(\): name 'Bad SA' is not a ServiceAccount name/);
    expect(() => MeshPrincipal.serviceAccount('reviews', 'Shop')).toThrow(/namespace 'Shop' is not a namespace name/);
    expect(MeshPrincipal.serviceAccount('reviews', 'shop').principal).toBe('cluster.local/ns/shop/sa/reviews');
  });
});
