import { Duration } from 'cdk8s';
import { JwtLocation, RequestAuthentication, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

const jwksUri = 'https://raw.githubusercontent.com/istio/istio/release-1.30/security/tools/jwt/samples/jwks.json';

describe('RequestAuthentication', () => {
  test('issuer with jwksUri, token locations and claim output', () => {
    const c = chart('foo');
    const ra = new RequestAuthentication(c, 'jwt', {
      selector: WorkloadSelector.fromLabels({ app: 'httpbin' }),
      jwtRules: [{
        issuer: 'testing@secure.istio.io',
        jwksUri,
        audiences: ['app'],
        locations: [JwtLocation.header('x-jwt', 'Bearer '), JwtLocation.queryParameter('token'), JwtLocation.cookie('session')],
        outputPayloadToHeader: 'x-jwt-payload',
        outputClaimToHeaders: [{ header: 'x-user', claim: 'sub' }],
        forwardOriginalToken: true,
        timeout: Duration.seconds(3),
      }],
    });
    const out = only(synth(c), 'RequestAuthentication');
    expect(out.apiVersion).toBe('security.istio.io/v1');
    const rule = out.spec.jwtRules[0];
    expect(rule.fromHeaders).toEqual([{ name: 'x-jwt', prefix: 'Bearer ' }]);
    expect(rule.fromParams).toEqual(['token']);
    expect(rule.fromCookies).toEqual(['session']);
    expect(rule.timeout).toBe('3s');
    expect(ra.issuers).toEqual(['testing@secure.istio.io']);
    expect(out).toMatchSnapshot();
  });

  test('inline JWKS and targetRefs', () => {
    const c = chart('foo');
    new RequestAuthentication(c, 'jwt', { targetRefs: [{ kind: 'Gateway', name: 'waypoint' }], jwtRules: [{ issuer: 'me', jwks: '{"keys":[{"kty":"RSA","e":"AQAB","n":"abc"}]}' }] });
    const out = only(synth(c), 'RequestAuthentication');
    expect(out.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'waypoint' }]);
  });

  describe('rejects bad input', () => {
    test('issuer without keys', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [{ issuer: 'me' }] })).toThrow(/RequestAuthentication 'test\/ra': jwtRules\[0\] \(issuer 'me'\) has no keys/);
    });
    test('both jwksUri and jwks', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [{ issuer: 'me', jwksUri, jwks: '{"keys":[]}' }] })).toThrow(/sets both jwksUri and jwks/);
    });
    test('jwks with a private key', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [{ issuer: 'me', jwks: '{"keys":[{"kty":"RSA","d":"secret"}]}' }] })).toThrow(/contains a private key/);
    });
    test('jwks that is not a key set', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [{ issuer: 'me', jwks: 'not json' }] })).toThrow(/must be a JSON Web Key Set/);
    });
    test('non-URL jwksUri', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [{ issuer: 'me', jwksUri: 'keys.json' }] })).toThrow(/jwksUri must be an http\(s\) URL/);
    });
    test('no rules', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [] })).toThrow(/jwtRules must list at least one issuer/);
    });
    test('issuer listed twice', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { jwtRules: [{ issuer: 'me', jwksUri }, { issuer: 'me', jwksUri }] })).toThrow(/issuer 'me' is listed twice/);
    });
    test('selector and targetRefs together', () => {
      expect(() => new RequestAuthentication(chart(), 'ra', { selector: WorkloadSelector.fromLabels({ a: 'b' }), targetRefs: [{ kind: 'Service', name: 's' }], jwtRules: [{ issuer: 'me', jwksUri }] })).toThrow(/selector and targetRefs are exclusive/);
    });
  });
});
