import { ApiObject, Lazy } from 'cdk8s';
import { ControlPlaneModel } from './control-plane-model';

/**
 * The IstioOperator spec for the same install: profile, revision, hub/tag and the
 * shared Helm values. The profile's own gateways are switched off because gateways
 * are native constructs here.
 * @internal
 */
export function istioOperatorSpec(cp: ControlPlaneModel, values: any): any {
  return {
    profile: cp.profile,
    revision: cp.revision,
    namespace: cp.namespace,
    hub: cp.hub,
    tag: cp.tag,
    components: {
      base: cp.manageBase ? undefined : { enabled: false },
      ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }],
      egressGateways: [{ name: 'istio-egressgateway', enabled: false }],
    },
    values,
  };
}

/** Emits the IstioOperator object (read by `istioctl install -f`, not applied to the cluster). @internal */
export function istioOperatorObject(cp: ControlPlaneModel, id: string, spec: () => any): ApiObject {
  return new ApiObject(cp, id, {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: { name: cp.revision ? `control-plane-${cp.revision}` : 'control-plane', namespace: cp.namespace },
    spec: Lazy.any({ produce: spec }),
  });
}
