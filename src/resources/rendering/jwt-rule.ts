import { IConstruct } from 'constructs';
import { istioDuration } from '../../core/duration';
import { fail, show } from '../../core/errors';
import { JwtRule } from '../jwt-rule';

/** @internal */
export function renderJwtRule(scope: IConstruct, prop: string, r: JwtRule): any {
  if (!r.issuer) fail(scope, `${prop}.issuer must be set to the token issuer (the 'iss' claim).`);
  if (!r.jwksUri && !r.jwks) {
    fail(scope, `${prop} (issuer ${show(r.issuer)}) has no keys: set jwksUri to the issuer's JWKS URL or jwks to an inline key set.`);
  }
  if (r.jwksUri && r.jwks) fail(scope, `${prop} sets both jwksUri and jwks; use one.`);
  if (r.jwksUri && !/^https?:\/\/[^\s/]+/.test(r.jwksUri)) {
    fail(scope, `${prop}.jwksUri must be an http(s) URL, got ${show(r.jwksUri)}.`);
  }
  if (r.jwks) {
    let parsed: any;
    try { parsed = JSON.parse(r.jwks); } catch { fail(scope, `${prop}.jwks must be a JSON Web Key Set (JSON with a "keys" array).`); }
    if (!Array.isArray(parsed?.keys)) fail(scope, `${prop}.jwks must be a JSON Web Key Set (JSON with a "keys" array).`);
    if (parsed.keys.some((k: any) => k.d !== undefined)) {
      fail(scope, `${prop}.jwks contains a private key ('d'); publish only the public keys.`);
    }
  }
  const at = (s: string) => r.locations?.filter(l => l.source === s);
  const headers = at('header');
  const params = at('param');
  const cookies = at('cookie');
  return {
    issuer: r.issuer,
    audiences: r.audiences,
    jwksUri: r.jwksUri,
    jwks: r.jwks,
    fromHeaders: headers?.length ? headers.map(h => ({ name: h.name, prefix: h.prefix })) : undefined,
    fromParams: params?.length ? params.map(p => p.name) : undefined,
    fromCookies: cookies?.length ? cookies.map(c => c.name) : undefined,
    outputPayloadToHeader: r.outputPayloadToHeader,
    outputClaimToHeaders: r.outputClaimToHeaders?.map(c => ({ header: c.header, claim: c.claim })),
    forwardOriginalToken: r.forwardOriginalToken,
    timeout: istioDuration(scope, `${prop}.timeout`, r.timeout),
  };
}
