import { RouteDestination } from './http-route';

/** L4 match for TLS routes (SNI based). */
export interface TlsMatch {
  /** SNI values to match; wildcards allowed. */
  readonly sniHosts: string[];
  /** Destination IP/CIDR. @default - any */
  readonly destinationSubnets?: string[];
  /** Port. @default - any */
  readonly port?: number;
  /** Calling workload labels. @default - any */
  readonly sourceLabels?: { [key: string]: string };
  /** Calling namespace. @default - any */
  readonly sourceNamespace?: string;
  /** Gateways this applies to. @default - the VirtualService's gateways */
  readonly gateways?: string[];
}

/** A weighted L4 destination. */
export interface WeightedDestination {
  /** Where to send traffic. */
  readonly destination: RouteDestination;
  /** Relative weight. @default - required when several destinations */
  readonly weight?: number;
}

/** A route for TLS (passthrough) traffic. */
export interface TlsRoute {
  /** SNI matches. */
  readonly match: TlsMatch[];
  /** Destinations. */
  readonly route: WeightedDestination[];
}

/** L4 match for TCP routes. */
export interface TcpMatch {
  /** Destination IP/CIDR. @default - any */
  readonly destinationSubnets?: string[];
  /** Port. @default - any */
  readonly port?: number;
  /** Calling workload labels. @default - any */
  readonly sourceLabels?: { [key: string]: string };
  /** Calling namespace. @default - any */
  readonly sourceNamespace?: string;
  /** Gateways this applies to. @default - the VirtualService's gateways */
  readonly gateways?: string[];
}

/** A route for opaque TCP traffic. */
export interface TcpRoute {
  /** Conditions. @default - all TCP traffic */
  readonly match?: TcpMatch[];
  /** Destinations. */
  readonly route: WeightedDestination[];
}
