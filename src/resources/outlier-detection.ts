import { Duration } from 'cdk8s';

/**
 * Outlier detection: eject failing endpoints.
 * (`consecutiveErrors` is deprecated in Istio and deliberately absent.)
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export interface OutlierDetection {
  /** Count local-origin failures separately. @default false */
  readonly splitExternalLocalOriginErrors?: boolean;
  /** Local-origin failures before ejection (needs splitExternalLocalOriginErrors). @default 5 */
  readonly consecutiveLocalOriginFailures?: number;
  /** 502/503/504 before ejection. @default - disabled */
  readonly consecutiveGatewayErrors?: number;
  /** 5xx before ejection. @default 5 */
  readonly consecutive5xxErrors?: number;
  /** Analysis sweep interval. @default 10s */
  readonly interval?: Duration;
  /** Minimum ejection duration. @default 30s */
  readonly baseEjectionTime?: Duration;
  /** Max percentage of hosts ejected. @default 10 */
  readonly maxEjectionPercent?: number;
  /** Outlier detection stops below this healthy percentage. @default 0 */
  readonly minHealthPercent?: number;
}
