import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { checkDns1123Subdomain } from '../core/names';
import { WorkloadSelector } from '../core/workload-selector';

/**
 * A Kubernetes resource a policy attaches to (ambient waypoints, Gateway API gateways).
 * @see https://istio.io/latest/docs/reference/config/type/workload-selector/#PolicyTargetReference
 */
export interface PolicyTargetReference {
  /** API group. @default - '' (core) for Service, `gateway.networking.k8s.io` for Gateway */
  readonly group?: string;
  /** Kind: `Gateway`, `GatewayClass`, `Service` or `ServiceEntry`. */
  readonly kind: string;
  /** Name. */
  readonly name: string;
}

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
