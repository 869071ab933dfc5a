import { IConstruct } from 'constructs';

/**
 * An Envoy rate limit service (github.com/envoyproxy/ratelimit) that proxies ask over
 * gRPC, e.g. a `RateLimitService` of this app. Each `RateLimit` intent registers its
 * domain's descriptors with it.
 */
export interface IRateLimitService extends IConstruct {
  /** FQDN of its Service, e.g. `ratelimit.ratelimit.svc.cluster.local`. */
  readonly serviceHost: string;
  /** The Service port of its gRPC API. */
  readonly grpcPort: number;
  /**
   * Adds a domain's configuration (the service's YAML format: `domain`, `descriptors`).
   * A domain is registered once; `owner` is named in errors.
   */
  addDomain(owner: IConstruct, domain: string, descriptors: any[]): void;
}
