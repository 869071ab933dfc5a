import { ExternalGatewayWorkload, IngressGateway, MeshPrincipal, WorkloadSelector, ZeroTrustNamespace } from '../../src';
import { chart, ofKind, synth } from '../support/synth';

describe('ZeroTrustNamespace', () => {
  test('STRICT mTLS, allow-nothing and explicit allows', () => {
    const c = chart('shop');
    const zt = new ZeroTrustNamespace(c, 'zt');
    zt.permitPlaintext('web-probes', { selector: WorkloadSelector.fromLabels({ app: 'web' }), ports: [8080] });
    zt.allow('api-from-web', { to: WorkloadSelector.fromLabels({ app: 'api' }), fromPrincipals: [MeshPrincipal.serviceAccount('web', 'shop')], ports: [8080], methods: ['GET'] });
    const out = synth(c);
    const pas = ofKind(out, 'PeerAuthentication');
    expect(pas[0].spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(pas[1].spec.portLevelMtls).toEqual({ 8080: { mode: 'PERMISSIVE' } });
    expect(pas.map(p => p.metadata.name)).toEqual(['default', 'web-probes']);
    const aps = ofKind(out, 'AuthorizationPolicy');
    expect(aps[0].metadata.name).toBe('allow-nothing');
    expect(aps[0].spec).toEqual({ action: 'ALLOW' });
    expect(aps[1].metadata.name).toBe('api-from-web');
    expect(aps[1].spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/shop/sa/web']);
    expect(aps[1].spec.rules[0].to[0].operation).toEqual({ ports: ['8080'], methods: ['GET'] });
    expect(out).toMatchSnapshot();
  });

  test('rules are keyed by id: inserting one renames no other', () => {
    const names = (ids: string[]) => {
      const c = chart('shop');
      const zt = new ZeroTrustNamespace(c, 'zt');
      for (const id of ids) zt.allow(id, { to: WorkloadSelector.fromLabels({ app: id }), fromNamespaces: ['shop'] });
      return Object.fromEntries(ofKind(synth(c), 'AuthorizationPolicy').map(p => [p.spec.selector?.matchLabels.app ?? '-', p.metadata.name]));
    };
    const before = names(['web', 'api']);
    const after = names(['web', 'cart', 'api']);
    expect(after.web).toBe(before.web);
    expect(after.api).toBe(before.api);
    expect(after).toEqual({ '-': 'allow-nothing', 'web': 'web', 'cart': 'cart', 'api': 'api' });
  });

  test('rejects an allow without a source, and an id used twice', () => {
    const zt = new ZeroTrustNamespace(chart(), 'zt');
    expect(() => zt.allow('x', { to: WorkloadSelector.fromLabels({ app: 'a' }) })).toThrow(/ZeroTrustNamespace 'test\/zt': allow\('x'\) needs fromPrincipals or fromNamespaces/);
    zt.allow('x', { to: WorkloadSelector.fromLabels({ app: 'a' }), fromNamespaces: ['a'] });
    expect(() => zt.allow('x', { to: WorkloadSelector.fromLabels({ app: 'b' }), fromNamespaces: ['b'] })).toThrow(/allow\('x'\): the id is already used by another rule/);
  });

  test('rejects permissive ports without ports', () => {
    expect(() => new ZeroTrustNamespace(chart(), 'zt').permitPlaintext('p', { selector: WorkloadSelector.fromLabels({ app: 'a' }), ports: [] }))
      .toThrow(/permitPlaintext\('p'\): ports must list at least one port/);
  });

  test('rejects a principal that no workload can have', () => {
    expect(() => MeshPrincipal.serviceAccount('Bad SA', 'shop')).toThrow(/^MeshPrincipal.serviceAccount\(\): name 'Bad SA' is not a ServiceAccount name/);
    expect(() => MeshPrincipal.serviceAccount('reviews', 'Shop')).toThrow(/namespace 'Shop' is not a namespace name/);
    expect(MeshPrincipal.serviceAccount('reviews', 'shop').principal).toBe('cluster.local/ns/shop/sa/reviews');
  });
});

test('a gateway\'s identity for allow rules, from the gateway construct', () => {
  const c = chart('istio-ingress');
  const gateway = new IngressGateway(c, 'ingress');
  expect(MeshPrincipal.fromGateway(gateway).principal).toBe('cluster.local/ns/istio-ingress/sa/istio-ingressgateway');
  expect(() => MeshPrincipal.fromGateway(ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-system')))
    .toThrow(/MeshPrincipal.fromGateway\(\): the service account of gateway .* is not known .*MeshPrincipal.serviceAccount\(name, namespace\)/);
});
