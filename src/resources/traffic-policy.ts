import { ClientTlsSettings } from './client-tls';
import { ConnectionPoolSettings } from './connection-pool';
import { LoadBalancerSettings } from './load-balancer';
import { OutlierDetection } from './outlier-detection';

/** Settings overriding the traffic policy for one port. */
export interface PortTrafficPolicy {
  /** The service port. */
  readonly port: number;
  /** Load balancing. @default - inherited */
  readonly loadBalancer?: LoadBalancerSettings;
  /** Connection pool. @default - inherited */
  readonly connectionPool?: ConnectionPoolSettings;
  /** Outlier detection. @default - inherited */
  readonly outlierDetection?: OutlierDetection;
  /** TLS. @default - inherited */
  readonly tls?: ClientTlsSettings;
}

/**
 * Policies applied to traffic towards a host or subset.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#TrafficPolicy
 */
export interface TrafficPolicy {
  /** Load balancing. @default - Istio default */
  readonly loadBalancer?: LoadBalancerSettings;
  /** Connection pool limits. @default - none */
  readonly connectionPool?: ConnectionPoolSettings;
  /** Outlier detection. @default - none */
  readonly outlierDetection?: OutlierDetection;
  /** TLS origination. @default - auto mTLS */
  readonly tls?: ClientTlsSettings;
  /** Per-port overrides. @default - none */
  readonly portLevelSettings?: PortTrafficPolicy[];
}
