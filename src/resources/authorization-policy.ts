import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { PolicyTargetReference } from './policy-target';
import { GeneratedTargeting, PolicyTargeting } from './rendering/policy-target';
import { checkArguments } from '../core/arguments';
import { fail } from '../core/errors';
import { WorkloadSelector } from '../core/workload-selector';

/** What a matching policy does. */
export enum AuthorizationAction {
  /** Allow matching requests; once any ALLOW applies, everything else is denied. */
  ALLOW = 'ALLOW',
  /** Deny matching requests (evaluated before ALLOW). */
  DENY = 'DENY',
  /** Log matching requests (needs an audit provider). */
  AUDIT = 'AUDIT',
  /** Delegate to an external authorizer (needs `provider`). */
  CUSTOM = 'CUSTOM',
}

/**
 * Who sends the request (Istio's `from.source`). All given fields must match.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export interface AuthorizationSource {
  /** Peer identities (`cluster.local/ns/NS/sa/SA`). @default - any */
  readonly principals?: string[];
  /** Excluded peer identities. @default - none */
  readonly notPrincipals?: string[];
  /** JWT identities (`iss/sub`, `*` = any valid token). @default - any */
  readonly requestPrincipals?: string[];
  /** Excluded JWT identities. @default - none */
  readonly notRequestPrincipals?: string[];
  /** Source namespaces. @default - any */
  readonly namespaces?: string[];
  /** Excluded source namespaces. @default - none */
  readonly notNamespaces?: string[];
  /** Source IPs/CIDRs. @default - any */
  readonly ipBlocks?: string[];
  /** Excluded source IPs. @default - none */
  readonly notIpBlocks?: string[];
  /** Original client IPs (X-Forwarded-For). @default - any */
  readonly remoteIpBlocks?: string[];
  /** Excluded original client IPs. @default - none */
  readonly notRemoteIpBlocks?: string[];
}

/**
 * What the request does (Istio's `to.operation`). HTTP-only fields: hosts, methods, paths.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation
 */
export interface AuthorizationOperation {
  /** Hosts. @default - any */
  readonly hosts?: string[];
  /** Excluded hosts. @default - none */
  readonly notHosts?: string[];
  /** Destination ports. @default - any */
  readonly ports?: number[];
  /** Excluded ports. @default - none */
  readonly notPorts?: number[];
  /** HTTP methods. @default - any */
  readonly methods?: string[];
  /** Excluded methods. @default - none */
  readonly notMethods?: string[];
  /** Paths (exact, `prefix*`, `*suffix`, or `{*}` templates). @default - any */
  readonly paths?: string[];
  /** Excluded paths. @default - none */
  readonly notPaths?: string[];
}

/**
 * An extra condition (Istio's `when`), e.g. `request.auth.claims[groups]`.
 * @see https://istio.io/latest/docs/reference/config/security/conditions/
 */
export interface AuthorizationCondition {
  /** Attribute name. */
  readonly key: string;
  /** Accepted values. @default - any */
  readonly values?: string[];
  /** Rejected values. @default - none */
  readonly notValues?: string[];
}

/**
 * One rule: all parts must match. An empty rule `{}` matches every request.
 * `sources`/`operations`/`conditions` are Istio's `from`/`to`/`when`.
 */
export interface AuthorizationRule {
  /** Request sources (OR). @default - any source */
  readonly sources?: AuthorizationSource[];
  /** Operations (OR). @default - any operation */
  readonly operations?: AuthorizationOperation[];
  /** Conditions (AND). @default - none */
  readonly conditions?: AuthorizationCondition[];
}

/** Props of an `AuthorizationPolicy`. */
export interface AuthorizationPolicyProps extends IstioResourceProps {
  /** Workloads this applies to. @default - the namespace (mesh-wide in the root namespace) */
  readonly selector?: WorkloadSelector;
  /** Attach to waypoints/gateways instead. @default - none */
  readonly targetRefs?: PolicyTargetReference[];
  /** The action. @default ALLOW */
  readonly action?: AuthorizationAction;
  /** External authorizer name from meshConfig.extensionProviders (CUSTOM only). @default - none */
  readonly provider?: string;
  /**
   * Rules (OR). With ALLOW and no rules the policy allows nothing (deny-all);
   * `[{}]` allows everything.
   * @default - no rules
   */
  readonly rules?: AuthorizationRule[];
}

/**
 * An Istio AuthorizationPolicy (`security.istio.io/v1`).
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends IstioResource {
  /** The action. */
  public readonly action: AuthorizationAction;
  private readonly _targeting: PolicyTargeting;
  private readonly _provider?: string;
  private readonly _rules: any[] = [];
  private readonly _rulesGiven: boolean;
  private readonly _generated: Array<{ key: string; notValues: () => string[] }> = [];

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps = {}) {
    super(scope, id, { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' }, props);
    this.action = props.action ?? AuthorizationAction.ALLOW;
    if (this.action === AuthorizationAction.CUSTOM && !props.provider) {
      fail(this, 'action CUSTOM needs provider: the name of an extension provider declared in meshConfig.extensionProviders (e.g. provider: \'ext-authz\').');
    }
    if (this.action !== AuthorizationAction.CUSTOM && props.provider) {
      fail(this, `provider is only valid with action CUSTOM, but action is ${this.action}. Remove provider or set action: AuthorizationAction.CUSTOM.`);
    }
    const needsRules = [AuthorizationAction.DENY, AuthorizationAction.CUSTOM, AuthorizationAction.AUDIT].includes(this.action);
    if (needsRules && !props.rules?.length) {
      // A DENY/CUSTOM/AUDIT policy without rules matches nothing: almost always a mistake.
      fail(this, `action ${this.action} with no rules matches nothing. Add rules, or use ALLOW with no rules for deny-all.`);
    }
    this._targeting = new PolicyTargeting(this, props.selector, props.targetRefs);
    this._provider = props.provider;
    this._rulesGiven = props.rules !== undefined;
    props.rules?.forEach(r => this.addRule(r));
  }

  /** Appends a rule. */
  public addRule(rule: AuthorizationRule): AuthorizationRule {
    checkArguments(this, 'AuthorizationPolicy', 'addRule', arguments);
    const prop = `rules[${this._rules.length}]`;
    const ports = (xs: number[] | undefined, p: string) => xs?.map((n, i) => {
      if (!Number.isInteger(n) || n < 1 || n > 65535) fail(this, `${p}[${i}] must be a port number, got ${n}.`);
      return String(n);
    });
    this._rules.push({
      from: rule.sources?.map(s => ({ source: { ...s } })),
      to: rule.operations?.map((o, i) => ({
        operation: {
          ...o,
          ports: ports(o.ports, `${prop}.operations[${i}].ports`),
          notPorts: ports(o.notPorts, `${prop}.operations[${i}].notPorts`),
        },
      })),
      when: rule.conditions?.map((c, i) => {
        if (!c.values?.length && !c.notValues?.length) fail(this, `${prop}.conditions[${i}] (${c.key}) needs values or notValues.`);
        return { key: c.key, values: c.values, notValues: c.notValues };
      }),
    });
    return rule;
  }

  /**
   * A condition added to every rule at synth, `key` not one of `notValues()` (when any): for
   * facts known only once the app is complete. @internal
   */
  public _generateNotValuesCondition(key: string, notValues: () => string[]): void {
    this._generated.push({ key, notValues });
  }

  /** Decides at synth which pods or Services the policy applies to (ambient intents). @internal */
  public _generateTargeting(targeting: () => GeneratedTargeting): void {
    this._targeting.generate(targeting);
  }

  /** @internal */
  protected _renderSpec(): any {
    const extra = this._generated.map(g => ({ key: g.key, notValues: g.notValues() })).filter(c => c.notValues.length);
    const rules = extra.length ? this._rules.map(r => ({ ...r, when: [...r.when ?? [], ...extra] })) : this._rules;
    return {
      ...this._targeting.render(),
      action: this.action,
      provider: this._provider && { name: this._provider },
      rules: rules.length || this._rulesGiven ? rules : undefined,
    };
  }
}
