import { AuthorizationAction, AuthorizationPolicy, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('AuthorizationPolicy', () => {
  test('sources/operations/conditions render as from/to/when', () => {
    const c = chart('foo');
    new AuthorizationPolicy(c, 'ap', {
      selector: WorkloadSelector.fromLabels({ app: 'httpbin' }),
      rules: [{
        sources: [{ principals: ['cluster.local/ns/foo/sa/sleep'], requestPrincipals: ['*'] }],
        operations: [{ methods: ['GET'], paths: ['/info*'], ports: [8000] }],
        conditions: [{ key: 'request.auth.claims[groups]', values: ['group1'] }],
      }],
    });
    const out = only(synth(c), 'AuthorizationPolicy');
    expect(out.apiVersion).toBe('security.istio.io/v1');
    expect(out.spec.rules[0]).toEqual({
      from: [{ source: { principals: ['cluster.local/ns/foo/sa/sleep'], requestPrincipals: ['*'] } }],
      to: [{ operation: { methods: ['GET'], paths: ['/info*'], ports: ['8000'] } }],
      when: [{ key: 'request.auth.claims[groups]', values: ['group1'] }],
    });
    expect(out).toMatchSnapshot();
  });

  test('allow-nothing renders an empty spec apart from the action, allow-all keeps rules: [{}]', () => {
    const c = chart('foo');
    new AuthorizationPolicy(c, 'deny-all', {});
    new AuthorizationPolicy(c, 'allow-all', { rules: [{}] });
    const [denyAll, allowAll] = synth(c);
    expect(denyAll.spec).toEqual({ action: 'ALLOW' });
    expect(allowAll.spec).toEqual({ action: 'ALLOW', rules: [{}] });
  });

  test('DENY and CUSTOM', () => {
    const c = chart('foo');
    new AuthorizationPolicy(c, 'deny', { action: AuthorizationAction.DENY, rules: [{ operations: [{ paths: ['/admin*'] }] }] });
    new AuthorizationPolicy(c, 'ext', { action: AuthorizationAction.CUSTOM, provider: 'ext-authz', rules: [{ operations: [{ paths: ['/headers'] }] }] });
    const [deny, ext] = synth(c);
    expect(deny.spec.action).toBe('DENY');
    expect(ext.spec.provider).toEqual({ name: 'ext-authz' });
  });

  test('rules added later are rendered', () => {
    const c = chart('foo');
    const ap = new AuthorizationPolicy(c, 'ap');
    ap.addRule({ sources: [{ namespaces: ['foo'] }] });
    expect(only(synth(c), 'AuthorizationPolicy').spec.rules).toEqual([{ from: [{ source: { namespaces: ['foo'] } }] }]);
  });

  describe('rejects bad input', () => {
    test('CUSTOM without provider', () => {
      expect(() => new AuthorizationPolicy(chart(), 'ap', { action: AuthorizationAction.CUSTOM, rules: [{}] })).toThrow(/AuthorizationPolicy 'test\/ap': action CUSTOM needs provider/);
    });
    test('provider without CUSTOM', () => {
      expect(() => new AuthorizationPolicy(chart(), 'ap', { provider: 'x', rules: [{}] })).toThrow(/provider is only valid with action CUSTOM/);
    });
    test('DENY without rules', () => {
      expect(() => new AuthorizationPolicy(chart(), 'ap', { action: AuthorizationAction.DENY })).toThrow(/action DENY with no rules matches nothing/);
    });
    test('condition without values', () => {
      expect(() => new AuthorizationPolicy(chart(), 'ap', { rules: [{ conditions: [{ key: 'request.headers[x]' }] }] })).toThrow(/rules\[0\]\.conditions\[0\] \(request.headers\[x\]\) needs values or notValues/);
    });
    test('invalid port', () => {
      expect(() => new AuthorizationPolicy(chart(), 'ap', { rules: [{ operations: [{ ports: [0] }] }] })).toThrow(/rules\[0\]\.operations\[0\]\.ports\[0\] must be a port number, got 0/);
    });
  });
});
