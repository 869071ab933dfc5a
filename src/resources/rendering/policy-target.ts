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
