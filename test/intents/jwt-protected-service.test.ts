import { JwtProtectedService, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

const issuer = { issuer: 'testing@secure.istio.io', jwksUri: 'https://example.com/jwks.json' };
const selector = WorkloadSelector.fromLabels({ app: 'httpbin' });

describe('JwtProtectedService', () => {
  test('rejects requests without a token by default (RequestAuthentication AND AuthorizationPolicy)', () => {
    const c = chart('foo');
    new JwtProtectedService(c, 'httpbin', { selector, issuers: [issuer] });
    const out = synth(c);
    const ra = only(out, 'RequestAuthentication');
    const ap = only(out, 'AuthorizationPolicy');
    expect(ra.spec.jwtRules[0].issuer).toBe('testing@secure.istio.io');
    expect(ap.spec).toEqual({ selector: { matchLabels: { app: 'httpbin' } }, action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['testing@secure.istio.io/*'] } }] }] });
    expect(out).toMatchSnapshot();
  });

  test('required claims and public paths', () => {
    const c = chart('foo');
    new JwtProtectedService(c, 'httpbin', { selector, issuers: [issuer], requiredClaims: { groups: ['admin'] }, publicPaths: ['/healthz'] });
    const ap = only(synth(c), 'AuthorizationPolicy');
    expect(ap.spec.rules[0].when).toEqual([{ key: 'request.auth.claims[groups]', values: ['admin'] }]);
    expect(ap.spec.rules[1]).toEqual({ to: [{ operation: { paths: ['/healthz'] } }] });
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
    expect(() => new JwtProtectedService(chart(), 'My_Jwt', { selector, issuers: [issuer] }))
      .toThrow(/JwtProtectedService 'test\/My_Jwt': name \(derived from the id 'My_Jwt'; set name to choose another\) must be a DNS-1123 subdomain/);
  });
});
