import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { JwtRule } from './jwt-rule';
import { PolicyTargetReference } from './policy-target';
import { renderJwtRule } from './rendering/jwt-rule';
import { GeneratedTargeting, PolicyTargeting } from './rendering/policy-target';
import { fail, show } from '../core/errors';
import { WorkloadSelector } from '../core/workload-selector';

/** Props of a `RequestAuthentication`. */
export interface RequestAuthenticationProps extends IstioResourceProps {
  /** Workloads this applies to. @default - the namespace */
  readonly selector?: WorkloadSelector;
  /** Attach to waypoints/gateways instead of a selector. @default - none */
  readonly targetRefs?: PolicyTargetReference[];
  /** Accepted issuers. */
  readonly jwtRules: JwtRule[];
}

/**
 * An Istio RequestAuthentication (`security.istio.io/v1`). Alone it only rejects
 * INVALID tokens; requests without a token pass. Pair it with an
 * AuthorizationPolicy requiring `requestPrincipals` (or use `JwtProtectedService`).
 * @see https://istio.io/latest/docs/reference/config/security/request_authentication/
 */
export class RequestAuthentication extends IstioResource {
  /** Issuers accepted (a copy). */
  public get issuers(): string[] { return this._spec.jwtRules.map((r: any) => r.issuer); }
  private readonly _spec: any;
  private readonly _targeting: PolicyTargeting;

  constructor(scope: Construct, id: string, props: RequestAuthenticationProps) {
    super(scope, id, { apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication' }, props);
    if (props.jwtRules.length === 0) fail(this, 'jwtRules must list at least one issuer.');
    const issuers = new Set<string>();
    props.jwtRules.forEach((r, i) => {
      if (issuers.has(r.issuer)) fail(this, `jwtRules[${i}].issuer ${show(r.issuer)} is listed twice; merge the rules.`);
      issuers.add(r.issuer);
    });
    this._targeting = new PolicyTargeting(this, props.selector, props.targetRefs);
    this._spec = {
      jwtRules: props.jwtRules.map((r, i) => renderJwtRule(this, `jwtRules[${i}]`, r)),
    };
  }

  /** Decides at synth which pods or Services the policy applies to (ambient intents). @internal */
  public _generateTargeting(targeting: () => GeneratedTargeting): void {
    this._targeting.generate(targeting);
  }

  /** @internal */
  protected _renderSpec(): any {
    return { ...this._targeting.render(), ...this._spec };
  }
}
