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

