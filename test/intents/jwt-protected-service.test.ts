import { ApiObject } from 'cdk8s';
import { JwtProtectedService, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';
import { versioned } from '../support/workloads';

const issuer = { issuer: 'testing@secure.istio.io', jwksUri: 'https://example.com/jwks.json' };
const selector = WorkloadSelector.fromLabels({ app: 'httpbin' });

describe('JwtProtectedService', () => {
  test('refuses requests without a token by default, with a DENY no ALLOW can undo; both objects named after the id', () => {
    const c = chart('foo');
    const jwt = new JwtProtectedService(c, 'httpbin', { selector, issuers: [issuer] });
    const out = synth(c);
    const ra = only(out, 'RequestAuthentication');
    const ap = only(out, 'AuthorizationPolicy');
    expect(ra.spec.jwtRules[0].issuer).toBe('testing@secure.istio.io');
    expect([ra.metadata.name, ap.metadata.name]).toEqual(['httpbin', 'httpbin']);
    expect(ap.spec).toEqual({ selector: { matchLabels: { app: 'httpbin' } }, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['testing@secure.istio.io/*'] } }] }] });
    expect(ApiObject.of(jwt)).toBe(jwt.requestAuthentication);
    expect(out).toMatchSnapshot();
  });

  test('ids become names without stutter (HttpbinJwt → httpbin-jwt, not httpbin-jwt-jwt)', () => {
    const c = chart('foo');
    new JwtProtectedService(c, 'HttpbinJwt', { selector, issuers: [issuer] });
    expect(synth(c).map(o => o.metadata.name)).toEqual(['httpbin-jwt', 'httpbin-jwt']);
  });

  test('required claims and public paths: each claim a DENY rule, public paths exempt from all, ports scope it', () => {
    const c = chart('foo');
    new JwtProtectedService(c, 'httpbin', { selector, issuers: [issuer], requiredClaims: { groups: ['admin'] }, publicPaths: ['/healthz'], ports: [8080] });
    const ap = only(synth(c), 'AuthorizationPolicy');
    const exempt = [{ operation: { ports: ['8080'], notPaths: ['/healthz'] } }];
    expect(ap.spec.rules).toEqual([
      { from: [{ source: { notRequestPrincipals: ['testing@secure.istio.io/*'] } }], to: exempt },
      { to: exempt, when: [{ key: 'request.auth.claims[groups]', notValues: ['admin'] }] },
    ]);
    expect(ap.metadata.annotations).toBeUndefined();
  });

  test('every port requires a token unless ports narrow it; ports must be container ports, not Service ports', () => {
    const c = chart('foo');
    const { deployments: [v1] } = versioned(c, 'httpbin', ['v1'], 8080);
    new JwtProtectedService(c, 'httpbin', { selector: WorkloadSelector.fromWorkload(v1), issuers: [issuer] });
    const ap = only(synth(c), 'AuthorizationPolicy');
    expect(ap.spec.rules[0].to).toBeUndefined(); // fails closed: plain TCP is refused too (Istio warns; the intent says so)
    expect(ap.metadata.annotations).toEqual({ 'galley.istio.io/analyze-suppress': 'IST0106' });
    expect(() => new JwtProtectedService(chart('foo'), 'j', { selector: WorkloadSelector.fromWorkload(v1), issuers: [issuer], ports: [80] }))
      .toThrow(/ports\[0\] is 80, which is not a container port of the workload the selector was made from \(8080\); policies see the port the pod listens on/);
  });

  test('two on one workload would refuse every token: an error naming both', () => {
    const c = chart('foo');
    new JwtProtectedService(c, 'internal', { selector, issuers: [issuer] });
    expect(() => new JwtProtectedService(c, 'partner', { selector, issuers: [{ issuer: 'https://partner', jwksUri: 'https://partner/jwks' }] }))
      .toThrow(/JwtProtectedService 'test\/partner': protects the same workload as JwtProtectedService 'test\/internal'; .* List all accepted issuers in one JwtProtectedService/);
  });

  test('enforcement can be turned off explicitly', () => {
    const c = chart('foo');
    const jwt = new JwtProtectedService(c, 'httpbin', { selector, issuers: [issuer], allowRequestsWithoutToken: true });
    expect(jwt.authorizationPolicy).toBeUndefined();
    expect(synth(c).map(o => o.kind)).toEqual(['RequestAuthentication']);
  });

  test('rejects no issuers (also a claim rule with no issuer)', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [], requiredClaims: { groups: ['a'] } })).toThrow(/JwtProtectedService 'test\/j': issuers must list at least one issuer/);
  });

  test('rejects an issuer without keys', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [{ issuer: 'me' }] })).toThrow(/^JwtProtectedService 'test\/j': issuers\[0\] \(issuer 'me'\) has no keys/);
  });

  test('rejects an empty claim rule', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [issuer], requiredClaims: { groups: [] } })).toThrow(/requiredClaims.groups is empty/);
  });

  test('rejects claims without enforcement', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [issuer], requiredClaims: { groups: ['a'] }, allowRequestsWithoutToken: true })).toThrow(/need enforcement/);
  });

  test('rejects a public path that is not a path', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [issuer], publicPaths: ['healthz'] }))
      .toThrow(/JwtProtectedService 'test\/j': publicPaths\[0\] is 'healthz': paths must start with '\/'/);
  });

  test('rejects public paths that make everything public', () => {
    for (const p of ['/*', '*']) {
      expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [issuer], publicPaths: ['/healthz', p] }))
        .toThrow(/publicPaths\[1\] is '\/?\*', which makes every path public: no request would need a token/);
    }
  });

  test('rejects a public path with \'*\' in the middle, accepts prefixes, suffixes and templates', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [issuer], publicPaths: ['/api/*/health'] }))
      .toThrow(/publicPaths\[0\] is '\/api\/\*\/health': '\*' only works as a whole prefix/);
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [issuer], publicPaths: ['/public/*', '*.css', '/api/{*}/health', '/docs/{**}'] })).not.toThrow();
  });

  test('errors name its own props, not the generated RequestAuthentication', () => {
    expect(() => new JwtProtectedService(chart(), 'j', { selector, issuers: [{ issuer: 'x', jwksUri: 'not a uri' }] }))
      .toThrow(/^JwtProtectedService 'test\/j': issuers\[0\].jwksUri must be an http\(s\) URL, got 'not a uri'\.$/);
    expect(() => new JwtProtectedService(chart(), 'j', { name: 'Bad_Name', selector, issuers: [issuer] }))
      .toThrow(/^JwtProtectedService 'test\/j': name must be a DNS-1123 subdomain/);
    expect(() => new JwtProtectedService(chart(), '***', { selector, issuers: [issuer] }))
      .toThrow(/JwtProtectedService 'test\/\*\*\*': name \(derived from the id '\*\*\*'; set name to choose another\) must be a DNS-1123 subdomain/);
  });
});
