/** What a route attaches to: a Gateway (and one of its listeners), or a Service (GAMMA, mesh traffic). */
export interface ParentReference {
  /** Name of the Gateway or Service. */
  readonly name: string;
  /** Its namespace. @default - the route's */
  readonly namespace?: string;
  /** Its kind. @default 'Gateway' */
  readonly kind?: string;
  /** Its API group. @default - 'gateway.networking.k8s.io' for a Gateway, '' (core) for a Service */
  readonly group?: string;
  /** A listener of the Gateway, by name. @default - every listener that allows the route */
  readonly sectionName?: string;
  /** A port of the parent (a Service port for GAMMA). @default - every port */
  readonly port?: number;
}

/**
 * A backend a route sends requests to: a Service, or with Istio an external host
 * (`kind: 'Hostname'`, `group: 'networking.istio.io'`, the name a host a ServiceEntry registers).
 */
export interface BackendReference {
  /** The Service's name (for a Hostname backend, the host). */
  readonly name: string;
  /** Its kind: 'Service', or Istio's 'Hostname'. @default 'Service' */
  readonly kind?: string;
  /** Its API group: '' (core) for a Service, 'networking.istio.io' for a Hostname. @default '' */
  readonly group?: string;
  /** Its namespace (another namespace needs a ReferenceGrant there). @default - the route's */
  readonly namespace?: string;
  /** The Service port (required for a Service). */
  readonly port: number;
  /** Relative share of requests among the rule's backends (0–1,000,000). @default 1 */
  readonly weight?: number;
}

/** A Secret holding a TLS certificate and key. */
export interface SecretReference {
  /** The Secret's name. */
  readonly name: string;
  /** Its namespace (another namespace than the Gateway's needs a ReferenceGrant there). @default - the Gateway's */
  readonly namespace?: string;
}
