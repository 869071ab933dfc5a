import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { istioDuration } from '../core/duration';
import { fail } from '../core/errors';
import { checkHost, checkLabels } from '../core/names';
import { checkPort, renderPercent } from '../core/percent';
import { renderMatchMap, StringMatch } from '../core/string-match';

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

// ---------------------------------------------------------------- rendering

/** @internal */
export function renderDestination(scope: IConstruct, prop: string, d: RouteDestination): any {
  checkHost(scope, `${prop}.host`, d.host, { allowWildcard: false });
  checkPort(scope, `${prop}.port`, d.port);
  return { host: d.host, subset: d.subset, port: d.port === undefined ? undefined : { number: d.port } };
}

/** @internal */
export function renderHeaders(h: Headers | undefined): any {
  if (!h) return undefined;
  const ops = (o?: HeaderOperations) => o && { set: o.set, add: o.add, remove: o.remove };
  return { request: ops(h.request), response: ops(h.response) };
}

function checkWeights(scope: IConstruct, prop: string, weights: Array<number | undefined>): void {
  if (weights.length === 0) return;
  weights.forEach((w, i) => {
    if (w !== undefined && (!Number.isInteger(w) || w < 0)) {
      fail(scope, `${prop}[${i}].weight must be a non-negative integer, got ${w}.`);
    }
  });
  if (weights.length > 1) {
    if (weights.some(w => w === undefined)) {
      fail(scope, `${prop} has ${weights.length} destinations, so every destination needs a weight. Add weight to each.`);
    }
    if (weights.every(w => w === 0)) {
      fail(scope, `${prop} weights are all 0, so no destination would receive traffic. Give at least one destination a positive weight.`);
    }
  }
}

/** @internal */
export function renderHttpMatch(scope: IConstruct, prop: string, m: HttpMatch): any {
  checkLabels(scope, `${prop}.sourceLabels`, m.sourceLabels);
  checkPort(scope, `${prop}.port`, m.port);
  return {
    name: m.name,
    uri: m.uri?._render(scope, `${prop}.uri`),
    scheme: m.scheme?._render(scope, `${prop}.scheme`),
    method: m.method?._render(scope, `${prop}.method`),
    authority: m.authority?._render(scope, `${prop}.authority`),
    headers: renderMatchMap(scope, `${prop}.headers`, m.headers),
    withoutHeaders: renderMatchMap(scope, `${prop}.withoutHeaders`, m.withoutHeaders),
    queryParams: renderMatchMap(scope, `${prop}.queryParams`, m.queryParams),
    ignoreUriCase: m.ignoreUriCase,
    port: m.port,
    sourceLabels: m.sourceLabels,
    sourceNamespace: m.sourceNamespace,
    gateways: m.gateways,
  };
}

/** @internal */
export function renderHttpRoute(scope: IConstruct, prop: string, r: HttpRoute): any {
  const actions = [r.route?.length ? 'route' : undefined, r.redirect && 'redirect', r.directResponse && 'directResponse', r.delegateTo && 'delegateTo'].filter(Boolean);
  if (actions.length !== 1) {
    fail(scope, `${prop} must have exactly one of route, redirect, directResponse or delegateTo, got ${actions.length === 0 ? 'none' : actions.join(' and ')}.`);
  }
  checkWeights(scope, `${prop}.route`, (r.route ?? []).map(d => d.weight));
  if (r.mirror && r.mirrors) {
    fail(scope, `${prop} sets both mirror and mirrors; Istio rejects that. Use mirrors for several targets.`);
  }
  if (r.mirrorPercentage !== undefined && !r.mirror) {
    fail(scope, `${prop}.mirrorPercentage is set without mirror. Set mirror, or use mirrors with a percentage each.`);
  }
  if (r.rewrite?.uri !== undefined && r.rewrite?.uriRegexRewrite) {
    fail(scope, `${prop}.rewrite sets both uri and uriRegexRewrite; Istio allows only one.`);
  }
  if (r.redirect?.port !== undefined && r.redirect?.derivePort) {
    fail(scope, `${prop}.redirect sets both port and derivePort; use one.`);
  }
  if (r.fault?.abort) {
    const a = r.fault.abort;
    if ((a.httpStatus === undefined) === (a.grpcStatus === undefined)) {
      fail(scope, `${prop}.fault.abort needs exactly one of httpStatus or grpcStatus.`);
    }
    if (a.httpStatus !== undefined && (!Number.isInteger(a.httpStatus) || a.httpStatus < 200 || a.httpStatus > 599)) {
      fail(scope, `${prop}.fault.abort.httpStatus must be an HTTP status between 200 and 599, got ${a.httpStatus}.`);
    }
  }
  if (r.retries && (!Number.isInteger(r.retries.attempts) || r.retries.attempts < 0)) {
    fail(scope, `${prop}.retries.attempts must be a non-negative integer, got ${r.retries.attempts}.`);
  }
  if (r.redirect?.redirectCode !== undefined && (r.redirect.redirectCode < 300 || r.redirect.redirectCode > 399)) {
    fail(scope, `${prop}.redirect.redirectCode must be a 3xx status, got ${r.redirect.redirectCode}.`);
  }
  if (r.directResponse && (!Number.isInteger(r.directResponse.status) || r.directResponse.status < 200 || r.directResponse.status > 599)) {
    fail(scope, `${prop}.directResponse.status must be an HTTP status between 200 and 599, got ${r.directResponse.status}.`);
  }
  return {
    name: r.name,
    match: r.match?.map((m, i) => renderHttpMatch(scope, `${prop}.match[${i}]`, m)),
    route: r.route?.map((d, i) => ({
      destination: renderDestination(scope, `${prop}.route[${i}].destination`, d.destination),
      weight: d.weight,
      headers: renderHeaders(d.headers),
    })),
    redirect: r.redirect && {
      uri: r.redirect.uri,
      authority: r.redirect.authority,
      port: checkPort(scope, `${prop}.redirect.port`, r.redirect.port),
      derivePort: r.redirect.derivePort,
      scheme: r.redirect.scheme,
      redirectCode: r.redirect.redirectCode,
    },
    directResponse: r.directResponse && {
      status: r.directResponse.status,
      body: r.directResponse.body === undefined ? undefined : { string: r.directResponse.body },
    },
    delegate: r.delegateTo && { name: r.delegateTo.name, namespace: r.delegateTo.namespace },
    rewrite: r.rewrite && {
      uri: r.rewrite.uri,
      authority: r.rewrite.authority,
      uriRegexRewrite: r.rewrite.uriRegexRewrite && { match: r.rewrite.uriRegexRewrite.match, rewrite: r.rewrite.uriRegexRewrite.rewrite },
    },
    timeout: istioDuration(scope, `${prop}.timeout`, r.timeout),
    retries: r.retries && {
      attempts: r.retries.attempts,
      perTryTimeout: istioDuration(scope, `${prop}.retries.perTryTimeout`, r.retries.perTryTimeout),
      retryOn: r.retries.retryOn?.join(','),
      retryRemoteLocalities: r.retries.retryRemoteLocalities,
    },
    fault: r.fault && {
      delay: r.fault.delay && {
        fixedDelay: istioDuration(scope, `${prop}.fault.delay.fixedDelay`, r.fault.delay.fixedDelay),
        percentage: renderPercent(scope, `${prop}.fault.delay.percentage`, r.fault.delay.percentage),
      },
      abort: r.fault.abort && {
        httpStatus: r.fault.abort.httpStatus,
        grpcStatus: r.fault.abort.grpcStatus,
        percentage: renderPercent(scope, `${prop}.fault.abort.percentage`, r.fault.abort.percentage),
      },
    },
    mirror: r.mirror && renderDestination(scope, `${prop}.mirror`, r.mirror),
    mirrorPercentage: renderPercent(scope, `${prop}.mirrorPercentage`, r.mirrorPercentage),
    mirrors: r.mirrors?.map((m, i) => ({
      destination: renderDestination(scope, `${prop}.mirrors[${i}].destination`, m.destination),
      percentage: renderPercent(scope, `${prop}.mirrors[${i}].percentage`, m.percentage),
    })),
    corsPolicy: r.corsPolicy && {
      allowOrigins: r.corsPolicy.allowOrigins?.map((o, i) => o._render(scope, `${prop}.corsPolicy.allowOrigins[${i}]`)),
      allowMethods: r.corsPolicy.allowMethods,
      allowHeaders: r.corsPolicy.allowHeaders,
      exposeHeaders: r.corsPolicy.exposeHeaders,
      maxAge: istioDuration(scope, `${prop}.corsPolicy.maxAge`, r.corsPolicy.maxAge),
      allowCredentials: r.corsPolicy.allowCredentials,
      unmatchedPreflights: r.corsPolicy.unmatchedPreflights,
    },
    headers: renderHeaders(r.headers),
  };
}

function renderWeighted(scope: IConstruct, prop: string, route: WeightedDestination[]): any {
  if (route.length === 0) fail(scope, `${prop} needs at least one destination.`);
  checkWeights(scope, prop, route.map(d => d.weight));
  return route.map((d, i) => ({ destination: renderDestination(scope, `${prop}[${i}].destination`, d.destination), weight: d.weight }));
}

/** @internal */
export function renderTlsRoute(scope: IConstruct, prop: string, r: TlsRoute): any {
  if (r.match.length === 0) fail(scope, `${prop}.match needs at least one match with sniHosts.`);
  return {
    match: r.match.map((m, i) => {
      if (m.sniHosts.length === 0) fail(scope, `${prop}.match[${i}].sniHosts must name at least one SNI host.`);
      m.sniHosts.forEach((h, j) => checkHost(scope, `${prop}.match[${i}].sniHosts[${j}]`, h));
      checkLabels(scope, `${prop}.match[${i}].sourceLabels`, m.sourceLabels);
      return { sniHosts: m.sniHosts, destinationSubnets: m.destinationSubnets, port: checkPort(scope, `${prop}.match[${i}].port`, m.port), sourceLabels: m.sourceLabels, sourceNamespace: m.sourceNamespace, gateways: m.gateways };
    }),
    route: renderWeighted(scope, `${prop}.route`, r.route),
  };
}

/** @internal */
export function renderTcpRoute(scope: IConstruct, prop: string, r: TcpRoute): any {
  return {
    match: r.match?.map((m, i) => {
      checkLabels(scope, `${prop}.match[${i}].sourceLabels`, m.sourceLabels);
      return { destinationSubnets: m.destinationSubnets, port: checkPort(scope, `${prop}.match[${i}].port`, m.port), sourceLabels: m.sourceLabels, sourceNamespace: m.sourceNamespace, gateways: m.gateways };
    }),
    route: renderWeighted(scope, `${prop}.route`, r.route),
  };
}

