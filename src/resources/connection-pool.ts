import { Duration } from 'cdk8s';

/** TCP keepalive settings. */
export interface TcpKeepalive {
  /** Probes before declaring the connection dead. @default - OS default */
  readonly probes?: number;
  /** Idle time before probes start. @default - OS default */
  readonly time?: Duration;
  /** Interval between probes. @default - OS default */
  readonly interval?: Duration;
}

/** TCP connection pool limits. */
export interface TcpConnectionPool {
  /** Max connections to a host. @default - 2^32-1 */
  readonly maxConnections?: number;
  /** Connect timeout. @default 10s */
  readonly connectTimeout?: Duration;
  /** Keepalive. @default - none */
  readonly tcpKeepalive?: TcpKeepalive;
  /** Max connection lifetime. @default - unlimited */
  readonly maxConnectionDuration?: Duration;
  /** Idle timeout. @default 1h */
  readonly idleTimeout?: Duration;
}

/** Whether HTTP/1.1 connections are upgraded to HTTP/2. */
export enum H2UpgradePolicy {
  /** Mesh default. */
  DEFAULT = 'DEFAULT',
  /** Never upgrade. */
  DO_NOT_UPGRADE = 'DO_NOT_UPGRADE',
  /** Upgrade. */
  UPGRADE = 'UPGRADE',
}

/** HTTP connection pool limits (circuit breaking). */
export interface HttpConnectionPool {
  /** Max queued requests. @default 2^32-1 */
  readonly http1MaxPendingRequests?: number;
  /** Max active requests. @default 2^32-1 */
  readonly http2MaxRequests?: number;
  /** Max requests per connection; 1 disables keepalive. @default - unlimited */
  readonly maxRequestsPerConnection?: number;
  /** Max outstanding retries. @default 2^32-1 */
  readonly maxRetries?: number;
  /** Idle timeout. @default 1h */
  readonly idleTimeout?: Duration;
  /** HTTP/2 upgrade policy. @default DEFAULT */
  readonly h2UpgradePolicy?: H2UpgradePolicy;
  /** Use the caller's protocol. @default false */
  readonly useClientProtocol?: boolean;
  /** Max concurrent HTTP/2 streams per connection. @default - Envoy default */
  readonly maxConcurrentStreams?: number;
}

/**
 * Connection pool (circuit-breaker) limits.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ConnectionPoolSettings
 */
export interface ConnectionPoolSettings {
  /** TCP limits. @default - none */
  readonly tcp?: TcpConnectionPool;
  /** HTTP limits. @default - none */
  readonly http?: HttpConnectionPool;
}
