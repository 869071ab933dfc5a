import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkArguments } from '../core/arguments';
import { istioDuration } from '../core/duration';
import { fail, show } from '../core/errors';

/** Where a JWT is read from. */
export class JwtLocation {
  /** A header, with an optional prefix to strip (e.g. `Bearer `). */
  public static header(name: string, prefix?: string): JwtLocation {
    checkArguments(undefined, 'JwtLocation', 'header', arguments);
    return new JwtLocation('header', name, prefix);
  }

  /** A query parameter. */
  public static queryParameter(name: string): JwtLocation {
    checkArguments(undefined, 'JwtLocation', 'queryParameter', arguments);
    return new JwtLocation('param', name);
  }

  /** A cookie. */
  public static cookie(name: string): JwtLocation {
    checkArguments(undefined, 'JwtLocation', 'cookie', arguments);
    return new JwtLocation('cookie', name);
  }

  private constructor(
    /** `header`, `param` or `cookie`. */
    public readonly source: string,
    /** Header, parameter or cookie name. */
    public readonly name: string,
    /** Prefix stripped from a header value. */
    public readonly prefix?: string) {}
}

/** Copy a claim into a request header. */
export interface ClaimToHeader {
  /** Header name. */
  readonly header: string;
  /** Claim name (nested with `.`). */
  readonly claim: string;
}

/**
 * How to validate a JWT from one issuer.
 * @see https://istio.io/latest/docs/reference/config/security/jwt/
 */
export interface JwtRule {
  /** Token issuer (`iss`). */
  readonly issuer: string;
  /** Accepted audiences (`aud`). @default - any audience */
  readonly audiences?: string[];
  /** URL of the JSON Web Key Set; exclusive with `jwks`. @default - none */
  readonly jwksUri?: string;
  /** Inline JWKS (JSON string); exclusive with `jwksUri`. @default - none */
  readonly jwks?: string;
  /** Where to read the token. @default - `Authorization: Bearer` header and `access_token` query parameter */
  readonly locations?: JwtLocation[];
  /** Header that receives the base64 payload. @default - none */
  readonly outputPayloadToHeader?: string;
  /** Claims copied into headers. @default - none */
  readonly outputClaimToHeaders?: ClaimToHeader[];
  /** Keep the token in the forwarded request. @default false */
  readonly forwardOriginalToken?: boolean;
  /** Timeout when fetching the JWKS. @default 5s */
  readonly timeout?: Duration;
}

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
