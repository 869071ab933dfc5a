import { Construct } from 'constructs';
import { SUPPRESS_ANNOTATION } from '../analysis/mesh-analyzer';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { pathProblem } from '../core/http-path';
import { checkDns1123Subdomain } from '../core/names';
import { WorkloadSelector } from '../core/workload-selector';
import { AuthorizationPolicy, AuthorizationRule } from '../resources/authorization-policy';
import { JwtRule, renderJwtRule } from '../resources/jwt-rule';
import { RequestAuthentication } from '../resources/request-authentication';

/** Props of a `JwtProtectedService`. */
export interface JwtProtectedServiceProps {
  /** The pods to protect (a workload or a gateway). Use `WorkloadSelector.fromWorkload(deployment)`. */
  readonly selector: WorkloadSelector;
  /** Accepted issuers, each with its keys (jwksUri or jwks). */
  readonly issuers: JwtRule[];
  /**
   * Claims every request must carry, claim name → accepted values
   * (e.g. `{ groups: ['admin'] }`; a request passes when the claim contains one of them).
   * @default - any valid token
   */
  readonly requiredClaims?: { [claim: string]: string[] };
  /** Paths reachable without a token, e.g. `['/healthz']` (Istio path syntax: exact, `prefix*`, `*suffix`). @default - none */
  readonly publicPaths?: string[];
  /**
   * Turn off enforcement: only the RequestAuthentication is emitted, so requests
   * WITHOUT a token are let through (only invalid tokens are rejected).
   * This is Istio's default behaviour and the classic mistake; opt in explicitly.
   * @default false
   */
  readonly allowRequestsWithoutToken?: boolean;
  /** Name prefix for the generated objects. @default - derived from the construct id */
  readonly name?: string;
}

/**
 * JWT authentication that is enforced: a RequestAuthentication validating
 * tokens and an AuthorizationPolicy that rejects requests without a valid
 * token (optionally requiring claims), with per-path exemptions.
 *
 * @see https://istio.io/latest/docs/tasks/security/authorization/authz-jwt/
 */
export class JwtProtectedService extends Construct {
  /** Validates tokens (rejects invalid ones). */
  public readonly requestAuthentication: RequestAuthentication;
  /** Rejects requests without a valid token; undefined when enforcement is turned off. */
  public readonly authorizationPolicy?: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: JwtProtectedServiceProps) {
    super(scope, id);
    checkProps(this, 'JwtProtectedService', props);
    reportChildErrorsAsOwn(this);
    if (props.issuers.length === 0) {
      fail(this, 'issuers must list at least one issuer with its keys, e.g. { issuer: \'https://auth.example.com\', jwksUri: \'https://auth.example.com/.well-known/jwks.json\' }.');
    }
    const claims = Object.entries(props.requiredClaims ?? {});
    for (const [claim, values] of claims) {
      if (values.length === 0) fail(this, `requiredClaims.${claim} is empty; list the accepted values, e.g. ['admin'].`);
    }
    if (props.allowRequestsWithoutToken && (claims.length || props.publicPaths?.length)) {
      fail(this, 'requiredClaims and publicPaths need enforcement, but allowRequestsWithoutToken is true. Remove one of them.');
    }
    props.publicPaths?.forEach((p, i) => {
      if (p === '*' || p === '/*') {
        fail(this, `publicPaths[${i}] is ${show(p)}, which makes every path public: no request would need a token. Name the public paths (e.g. '/healthz'), or set allowRequestsWithoutToken: true if that is what you mean.`);
      }
      const problem = pathProblem(p);
      if (problem) fail(this, `publicPaths[${i}] is ${show(p)}: ${problem}`);
    });
    // Checked here, in this construct's terms, before the children would report them as theirs.
    props.issuers.forEach((issuer, i) => renderJwtRule(this, `issuers[${i}]`, issuer));
    const base = props.name ?? this.node.id.toLowerCase();
    checkDns1123Subdomain(this, props.name !== undefined ? 'name' : `name (derived from the id ${show(this.node.id)}; set name to choose another)`, base);
    this.requestAuthentication = new RequestAuthentication(this, 'RequestAuthentication', {
      // The explicit opt-out is the user's decision: the analyzer's "not enforced" warning would only repeat it.
      metadata: { name: `${base}-jwt`, annotations: props.allowRequestsWithoutToken ? { [SUPPRESS_ANNOTATION]: 'CDK8SISTIO001' } : undefined },
      selector: props.selector,
      jwtRules: props.issuers,
    });
    if (props.allowRequestsWithoutToken) return;

    const rules: AuthorizationRule[] = [{
      sources: [{ requestPrincipals: props.issuers.map(i => `${i.issuer}/*`) }],
      conditions: claims.length ? claims.map(([claim, values]) => ({ key: `request.auth.claims[${claim}]`, values })) : undefined,
    }];
    if (props.publicPaths?.length) rules.push({ operations: [{ paths: props.publicPaths }] });
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      metadata: { name: `${base}-require-jwt` },
      selector: props.selector,
      rules,
    });
  }
}
