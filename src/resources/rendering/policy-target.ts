import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { checkDns1123Subdomain } from '../../core/names';
import { WorkloadSelector } from '../../core/workload-selector';
import { PolicyTargetReference } from '../policy-target';

/** @internal */
export function renderTargeting(scope: IConstruct, selector: WorkloadSelector | undefined, targetRefs: PolicyTargetReference[] | undefined): any {
  if (selector && targetRefs?.length) {
    fail(scope, 'selector and targetRefs are exclusive; use targetRefs for waypoints/Gateway API gateways and selector for sidecars.');
  }
  const defaultGroup = (kind: string) => kind === 'Gateway' || kind === 'GatewayClass' ? 'gateway.networking.k8s.io' : kind === 'ServiceEntry' ? 'networking.istio.io' : '';
  return {
    selector: selector && { matchLabels: selector._render(scope, 'selector') },
    targetRefs: targetRefs?.map((t, i) => {
      checkDns1123Subdomain(scope, `targetRefs[${i}].name`, t.name);
      return { group: t.group ?? defaultGroup(t.kind), kind: t.kind, name: t.name };
    }),
  };
}

/** Where a policy applies: the props' selector or targetRefs, or a choice made at synth. @internal */
export class PolicyTargeting {
  private readonly given: any;
  private generated?: () => GeneratedTargeting;

  constructor(private readonly scope: IConstruct, selector: WorkloadSelector | undefined, targetRefs: PolicyTargetReference[] | undefined) {
    this.given = renderTargeting(scope, selector, targetRefs);
  }

  /** Decides the targeting at synth (ambient: a waypoint's Services, or the pods), replacing the props'. */
  public generate(targeting: () => GeneratedTargeting): void {
    if (this.given.selector || this.given.targetRefs) fail(this.scope, 'already has a selector or targetRefs; its targeting cannot also be generated.');
    this.generated = targeting;
  }

  public render(): any {
    if (!this.generated) return this.given;
    const t = this.generated();
    return renderTargeting(this.scope, t.selector, t.targetRefs);
  }
}

/** A targeting decided at synth. @internal */
export interface GeneratedTargeting {
  readonly selector?: WorkloadSelector;
  readonly targetRefs?: PolicyTargetReference[];
}
