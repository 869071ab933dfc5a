import { Duration } from 'cdk8s';
import { checkArguments } from '../core/arguments';

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

