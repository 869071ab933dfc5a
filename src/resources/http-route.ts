import { Duration } from 'cdk8s';
import { StringMatch } from '../core/string-match';

/**
 * Where traffic goes: a service host, optionally a subset and a port.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Destination
 */
export interface RouteDestination {
  /** Service host; prefer the FQDN (`reviews.prod.svc.cluster.local`): short names resolve in the rule's namespace. */
  readonly host: string;
  /**
   * A subset defined in the host's DestinationRule.
   * @default - all endpoints of the host
   */
  readonly subset?: string;
  /**
   * The service port; required when the service has several ports.
   * @default - the service's only port
   */
  readonly port?: number;
}

/** Header manipulation for one direction. */
export interface HeaderOperations {
  /** Overwrite these headers. @default - none */
  readonly set?: { [name: string]: string };
  /** Append these headers. @default - none */
  readonly add?: { [name: string]: string };
  /** Remove these headers. @default - none */
  readonly remove?: string[];
}

/**
 * Request and response header manipulation.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#Headers
 */
export interface Headers {
  /** Applied before forwarding the request. @default - none */
  readonly request?: HeaderOperations;
  /** Applied before returning the response. @default - none */
  readonly response?: HeaderOperations;
}

/** A weighted destination of an HTTP route. */
export interface HttpRouteDestination {
  /** Where to send traffic. */
  readonly destination: RouteDestination;
  /**
   * Relative weight: the destination gets weight / (sum of weights).
   * @default - required when the route has several destinations, otherwise all traffic
   */
  readonly weight?: number;
  /** Header manipulation for this destination. @default - none */
  readonly headers?: Headers;
}

/**
 * Conditions for an HTTP route; all given fields must match.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export interface HttpMatch {
  /** Name of the match, used in access logs. @default - none */
  readonly name?: string;
  /** URI path match. @default - any */
  readonly uri?: StringMatch;
  /** Scheme (`http`, `https`). @default - any */
  readonly scheme?: StringMatch;
  /** HTTP method. @default - any */
  readonly method?: StringMatch;
  /** Authority (Host header). @default - any */
  readonly authority?: StringMatch;
  /** Header matches, by lowercase header name. @default - none */
  readonly headers?: { [name: string]: StringMatch };
  /** Headers that must NOT match. @default - none */
  readonly withoutHeaders?: { [name: string]: StringMatch };
  /** Query parameter matches. @default - none */
  readonly queryParams?: { [name: string]: StringMatch };
  /** Match case-insensitively on the URI. @default false */
  readonly ignoreUriCase?: boolean;
  /** The port the request is addressed to. @default - any */
  readonly port?: number;
  /** Labels of the calling workload (sidecars only). @default - any */
  readonly sourceLabels?: { [key: string]: string };
  /** Namespace of the calling workload (sidecars only). @default - any */
  readonly sourceNamespace?: string;
  /** Restrict this match to these gateways (`ns/name` or `mesh`). @default - the VirtualService's gateways */
  readonly gateways?: string[];
}

/** How the redirect port is chosen. */
export enum RedirectPortSelection {
  /** 80 for http, 443 for https. */
  FROM_PROTOCOL_DEFAULT = 'FROM_PROTOCOL_DEFAULT',
  /** The port of the original request. */
  FROM_REQUEST_PORT = 'FROM_REQUEST_PORT',
}

/**
 * An HTTP redirect response instead of forwarding.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRedirect
 */
export interface HttpRedirect {
  /** Replace the path. @default - unchanged */
  readonly uri?: string;
  /**
   * Replace the prefix the route's URI prefix match matched, keeping the rest of the path
   * (instead of `uri`; every URI match of the route must be a prefix). Needs Istio 1.31 or later.
   * @default - unchanged
   */
  readonly prefixRewrite?: string;
  /** Replace the authority. @default - unchanged */
  readonly authority?: string;
  /** Redirect to this port. @default - unchanged */
  readonly port?: number;
  /** Derive the port instead of setting it. @default - unchanged */
  readonly derivePort?: RedirectPortSelection;
  /** Replace the scheme. @default - unchanged */
  readonly scheme?: string;
  /** Status code. @default 301 */
  readonly redirectCode?: number;
}

/**
 * A fixed response without forwarding.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPDirectResponse
 */
export interface HttpDirectResponse {
  /** HTTP status. */
  readonly status: number;
  /** Response body text. @default - no body */
  readonly body?: string;
}

/** URI regex rewrite. */
export interface RegexRewrite {
  /** RE2 pattern. */
  readonly match: string;
  /** Replacement, with `\1`-style groups. */
  readonly rewrite: string;
}

/**
 * Rewrite the request before forwarding.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRewrite
 */
export interface HttpRewrite {
  /** Replace the matched URI prefix (or the whole exact match). @default - unchanged */
  readonly uri?: string;
  /** Replace the authority/Host. @default - unchanged */
  readonly authority?: string;
  /** Regex rewrite of the path; exclusive with `uri`. @default - none */
  readonly uriRegexRewrite?: RegexRewrite;
}

/**
 * Retry policy.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export interface HttpRetry {
  /** Number of retries; 0 disables retries. */
  readonly attempts: number;
  /** Timeout per attempt. @default - the route timeout */
  readonly perTryTimeout?: Duration;
  /** Envoy retry conditions, e.g. `['5xx', 'connect-failure']`. @default - Istio's default (connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes) */
  readonly retryOn?: string[];
  /** Retry on other localities. @default false */
  readonly retryRemoteLocalities?: boolean;
}

/** Delay injection. */
export interface FaultDelay {
  /** The added delay. */
  readonly fixedDelay: Duration;
  /** Percentage of requests delayed (0–100). @default 100 */
  readonly percentage?: number;
}

/** Abort injection: exactly one of `httpStatus`, `grpcStatus`. */
export interface FaultAbort {
  /** HTTP status returned. @default - use grpcStatus */
  readonly httpStatus?: number;
  /** gRPC status name returned, e.g. `UNAVAILABLE`. @default - use httpStatus */
  readonly grpcStatus?: string;
  /** Percentage of requests aborted (0–100). @default 100 */
  readonly percentage?: number;
}

/**
 * Fault injection (client side).
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPFaultInjection
 */
export interface HttpFault {
  /** Delay requests. @default - none */
  readonly delay?: FaultDelay;
  /** Abort requests. @default - none */
  readonly abort?: FaultAbort;
}

/** A mirror target with its own percentage. */
export interface HttpMirror {
  /** Where copies go. */
  readonly destination: RouteDestination;
  /** Percentage of requests copied (0–100). @default 100 */
  readonly percentage?: number;
}

/** What to do with a CORS preflight that does not match. */
export enum UnmatchedPreflights {
  /** Forward it to the upstream. */
  FORWARD = 'FORWARD',
  /** Answer it without forwarding. */
  IGNORE = 'IGNORE',
}

/**
 * CORS policy.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#CorsPolicy
 */
export interface CorsPolicy {
  /** Allowed origins. @default - none */
  readonly allowOrigins?: StringMatch[];
  /** Allowed methods. @default - none */
  readonly allowMethods?: string[];
  /** Allowed request headers. @default - none */
  readonly allowHeaders?: string[];
  /** Response headers the browser may read. @default - none */
  readonly exposeHeaders?: string[];
  /** How long preflight results may be cached. @default - not set */
  readonly maxAge?: Duration;
  /** Allow credentials. @default - not set */
  readonly allowCredentials?: boolean;
  /** Unmatched preflight handling. @default - Istio's default (FORWARD) */
  readonly unmatchedPreflights?: UnmatchedPreflights;
}

/** Delegation to another VirtualService. */
export interface DelegateTarget {
  /** Name of the delegate VirtualService. */
  readonly name: string;
  /** Its namespace. @default - the same namespace */
  readonly namespace?: string;
}

/**
 * An HTTP route rule. Exactly one of `route`, `redirect`, `directResponse`, `delegateTo`.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRoute
 */
export interface HttpRoute {
  /** Route name, used in logs and to merge delegates. @default - none */
  readonly name?: string;
  /** Conditions (OR of matches). @default - matches everything */
  readonly match?: HttpMatch[];
  /** Weighted destinations. @default - none */
  readonly route?: HttpRouteDestination[];
  /** Redirect instead of forwarding. @default - none */
  readonly redirect?: HttpRedirect;
  /** Respond directly. @default - none */
  readonly directResponse?: HttpDirectResponse;
  /** Delegate to another VirtualService (Istio's `delegate`). @default - none */
  readonly delegateTo?: DelegateTarget;
  /** Rewrite before forwarding. @default - none */
  readonly rewrite?: HttpRewrite;
  /** Request timeout. @default - none (Istio: disabled) */
  readonly timeout?: Duration;
  /** Retry policy. @default - Istio's default retries */
  readonly retries?: HttpRetry;
  /** Fault injection. @default - none */
  readonly fault?: HttpFault;
  /** Mirror to a single destination (use with `mirrorPercentage`); exclusive with `mirrors`. @default - none */
  readonly mirror?: RouteDestination;
  /** Percentage mirrored to `mirror` (0–100). @default 100 */
  readonly mirrorPercentage?: number;
  /** Mirror to several destinations. @default - none */
  readonly mirrors?: HttpMirror[];
  /** CORS policy. @default - none */
  readonly corsPolicy?: CorsPolicy;
  /** Header manipulation. @default - none */
  readonly headers?: Headers;
}
