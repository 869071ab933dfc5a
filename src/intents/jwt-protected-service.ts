import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Waypoint } from './waypoint';
import { checkProps } from '../core/arguments';
import { describe, fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { Expectation, promise, samplePolicyPath } from '../core/expectations';
import { pathProblem } from '../core/http-path';
import { checkDns1123Subdomain, nameFromId } from '../core/names';
import { checkPort } from '../core/percent';
import { SUPPRESS_ANNOTATION } from '../core/suppression';
import { WorkloadSelector } from '../core/workload-selector';
import { AuthorizationAction, AuthorizationPolicy, AuthorizationRule } from '../resources/authorization-policy';
import { JwtRule } from '../resources/jwt-rule';
import { renderJwtRule } from '../resources/rendering/jwt-rule';
import { RequestAuthentication } from '../resources/request-authentication';
import { rendersAtWaypoint } from './traffic/ambient';

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
  /**
   * The container ports (the Services' target ports) a token is required on: the
   * workload's HTTP ports. Traffic to other ports is not covered.
   * @default - every port: plain TCP connections are refused too, since no token can be checked on them
   */
  readonly ports?: number[];
  /** Name of the generated objects. @default - derived from the construct id */
  readonly name?: string;
}

/**
 * JWT authentication that is enforced: a RequestAuthentication validating
 * tokens and a DENY AuthorizationPolicy refusing requests without a valid
 * token (or without the required claims), except on public paths. Being a
 * DENY, no ALLOW policy elsewhere (e.g. a `ZeroTrustNamespace` allow rule) can
 * open the workload to tokenless callers. Both objects are named after the id
 * (or `name`).
 *
 * @see https://istio.io/latest/docs/tasks/security/authorization/authz-jwt/
 *
 * @example
 * declare const chart: Chart;
 * declare const httpbin: kplus.Deployment;
 *
 * new JwtProtectedService(chart, 'httpbin', {
 *   selector: WorkloadSelector.fromWorkload(httpbin),
 *   issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }],
 *   requiredClaims: { groups: ['admin'] },
 *   publicPaths: ['/healthz'],
 * });
 */
export class JwtProtectedService extends Construct {
  /** Validates tokens (rejects invalid ones). */
  public readonly requestAuthentication: RequestAuthentication;
  /** The DENY policy refusing requests without a valid token; undefined when enforcement is turned off. */
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
    const base = props.name ?? nameFromId(this.node.id);
    checkDns1123Subdomain(this, props.name !== undefined ? 'name' : `name (derived from the id ${show(this.node.id)}; set name to choose another)`, base);
    const namespace = Chart.of(this).namespace ?? 'default';
    // Ambient: ztunnel sees no HTTP, so the waypoint of the pods' Services checks tokens, and the
    // pods refuse traffic that skipped it (ingress traffic is sent through it too).
    const atWaypoint = rendersAtWaypoint(this, namespace, props.selector)
      ? Waypoint._attach(this, namespace, props.selector.labels, 'JWT check', { guard: { name: base }, ports: props.ports }) : undefined;
    this.requestAuthentication = new RequestAuthentication(this, 'RequestAuthentication', {
      // The explicit opt-out is the user's decision: the analyzer's "not enforced" warning would only repeat it.
      metadata: { name: base, annotations: props.allowRequestsWithoutToken ? { [SUPPRESS_ANNOTATION]: 'CDK8SISTIO001' } : undefined },
      selector: atWaypoint ? undefined : props.selector,
      jwtRules: props.issuers,
    });
    if (atWaypoint) this.requestAuthentication._generateTargeting(atWaypoint.targeting);
    this.node.defaultChild = this.requestAuthentication;
    promise(this, () => this.promises(props));
    if (props.allowRequestsWithoutToken) return;

    // A DENY, not an ALLOW: Istio admits a request when any ALLOW policy matches, so an
    // ALLOW from another construct (a zero-trust allow rule) would let tokenless callers
    // in. Nothing can override a DENY.
    props.ports?.forEach((p, i) => checkPort(this, `ports[${i}]`, p));
    const known = props.selector._ports;
    props.ports?.forEach((p, i) => {
      if (known?.length && !known.includes(p)) {
        fail(this, `ports[${i}] is ${p}, which is not a container port of the workload the selector was made from (${known.join(', ')}); `
          + 'policies see the port the pod listens on (a Service\'s targetPort), not the Service port. Requests to the real port would need no token.');
      }
    });
    if (props.ports?.length === 0) fail(this, 'ports is empty, so no port would require a token; omit it to cover every port.');
    // A waypoint sees the Service port the caller dialled, not the pod's: the ports given become those.
    const scoped = atWaypoint ? atWaypoint.servicePorts : props.ports;
    const notPaths = props.publicPaths?.length ? props.publicPaths : undefined;
    const exempt = notPaths || scoped ? [{ ports: scoped, notPaths }] : undefined;
    const rules: AuthorizationRule[] = [
      { sources: [{ notRequestPrincipals: props.issuers.map(i => `${i.issuer}/*`) }], operations: exempt },
      ...claims.map(([claim, values]) => ({ operations: exempt, conditions: [{ key: `request.auth.claims[${claim}]`, notValues: values }] })),
    ];
    claimSelector(this, props.selector);
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      // Without ports, Istio warns that the DENY refuses all plain TCP traffic: that is the intent here (documented on `ports`).
      metadata: { name: base, annotations: scoped ? undefined : { [SUPPRESS_ANNOTATION]: 'IST0106' } },
      selector: atWaypoint ? undefined : props.selector,
      action: AuthorizationAction.DENY,
      rules,
    });
    if (atWaypoint) this.authorizationPolicy._generateTargeting(atWaypoint.targeting);
  }

  /**
   * Sent to the workload's own port by a mesh caller: a forged token is refused
   * (401); with enforcement, a missing token or a missing required claim is
   * refused by this intent's policy (403), a valid one and public paths are not.
   * Valid tokens are promised for issuers with a jwksUri (the harness serves
   * its test keys there) and tokens in the default location.
   */
  private promises(props: JwtProtectedServiceProps): Expectation[] {
    const to = { namespace: Chart.of(this).namespace ?? 'default', labels: props.selector.labels };
    const request = { from: { namespace: 'semantics-caller' }, to, host: 'semantics.test', port: props.ports?.[0], path: '/semantics/protected' };
    const policy = this.authorizationPolicy?.name;
    const claims = Object.entries(props.requiredClaims ?? {});
    const out: Expectation[] = [];
    for (const issuer of props.issuers) {
      const token = { iss: issuer.issuer, sub: 'semantics-user', ...(issuer.audiences?.length ? { aud: issuer.audiences[0] } : {}) };
      // The harness sends tokens in the default location and can sign only for a jwksUri it serves.
      if (issuer.locations?.length) continue;
      out.push({ promise: `a forged token of ${issuer.issuer} is refused`, request: { ...request, token: { claims: token, forged: true } }, expect: { status: 401 } });
      if (!issuer.jwksUri) continue;
      const full = { ...token, ...Object.fromEntries(claims.map(([claim, values]) => [claim, values[0]])) };
      out.push({
        promise: `a valid token of ${issuer.issuer}${claims.length ? ' with the required claims' : ''} is accepted${policy ? ` and not refused by ${policy}` : ''}`,
        request: { ...request, token: { claims: full } },
        expect: { token: 'valid', ...(policy ? { policies: { [policy]: 'no match' } } : {}) },
      });
      if (!policy) continue;
      for (const [claim] of claims) {
        const { [claim]: _, ...without } = full as { [claim: string]: unknown };
        out.push({ promise: `a valid token without the claim ${claim} is refused`, request: { ...request, token: { claims: without } }, expect: { status: 403, policies: { [policy]: 'denies' } } });
      }
    }
    if (!policy) return out;
    out.push({ promise: 'a request without a token is refused', request, expect: { status: 403, token: 'missing', policies: { [policy]: 'denies' } } });
    for (const path of props.publicPaths ?? []) {
      out.push({ promise: `${path} is not refused by ${policy} for lack of a token`, request: { ...request, path: samplePolicyPath(path) }, expect: { policies: { [policy]: 'no match' } } });
    }
    return out;
  }
}

const PROTECTED = Symbol.for('cdk8s-istio.JwtProtectedService.selectors');

/**
 * One JwtProtectedService per workload: each DENYs tokens of issuers it does not
 * list, so two on one workload would refuse every token (each rejects the other's).
 */
function claimSelector(jwt: JwtProtectedService, selector: WorkloadSelector): void {
  const root = jwt.node.root as any;
  if (!root[PROTECTED]) Object.defineProperty(root, PROTECTED, { value: new Map<string, JwtProtectedService>() });
  const key = `${Chart.of(jwt).namespace ?? 'default'}|${JSON.stringify(Object.entries(selector.labels).sort())}`;
  const other: JwtProtectedService | undefined = root[PROTECTED].get(key);
  if (other) {
    fail(jwt, `protects the same workload as ${describe(other)}; each refuses tokens of the issuers it does not list, so together they would refuse every request. `
      + 'List all accepted issuers in one JwtProtectedService.');
  }
  root[PROTECTED].set(key, jwt);
}

