import { IConstruct } from 'constructs';
import { fail, show } from '../../core/errors';
import { StringMatch, StringMatchKind } from '../../core/string-match';
import { TrafficApi } from '../../core/traffic-api';
import { RouteNamespaces } from '../../resources/gateway-api/gateway-api-gateway';
import { GrpcRouteRule } from '../../resources/gateway-api/gateway-api-grpc-route';
import { HeaderMatchType, HttpHeaderMatch, HttpRouteFilter, HttpRouteMatch, HttpRouteRule, PathMatchType } from '../../resources/gateway-api/gateway-api-http-route';
import { BackendReference } from '../../resources/gateway-api/references';
import { HttpMatch, HttpRoute, RouteDestination } from '../../resources/http-route';

/**
 * A host's routes (the per-host model's, in Istio's terms) as Gateway API HTTPRoute rules.
 * What Gateway API cannot express, or only its experimental channel can while the app
 * targets standard, fails naming the construct that asked for it and the way out.
 * @internal
 */
export function gatewayApiRule(owner: IConstruct, api: TrafficApi, route: HttpRoute, backendIn: (d: RouteDestination) => BackendReference,
  routeNamespace: string | undefined): HttpRouteRule {
  // A backend in the route's own namespace is named without it.
  const backendOf = (d: RouteDestination): BackendReference => {
    const b = backendIn(d);
    return b.namespace === (routeNamespace ?? 'default') ? { ...b, namespace: undefined } : b;
  };
  const classic = 'Render this host with Istio\'s classic API: TrafficApi.use(<its chart>, TrafficApi.istio()).';
  if (route.fault) api._require(owner, 'fault injection', 'none', classic);
  if (route.retries) {
    api._require(owner, 'retries', 'experimental', 'Target the experimental channel (TrafficApi.gatewayApi({ channel: GatewayApiChannel.EXPERIMENTAL })), drop the retries, or use Istio\'s classic API for this host.');
    if (route.retries.retryRemoteLocalities !== undefined) api._require(owner, 'retries.retryRemoteLocalities', 'none', classic);
    if (route.timeout && route.retries.perTryTimeout && route.retries.perTryTimeout.toMilliseconds() > route.timeout.toMilliseconds()) {
      api._require(owner, 'a try timeout longer than the request timeout', 'none', 'Gateway API requires timeouts.backendRequest <= timeouts.request: shorten the try timeout.');
    }
    if (route.retries.retryOn !== undefined) api._require(owner, `retryOn ${show(route.retries.retryOn.join(','))}`, 'none', `Gateway API retries name status codes only. ${classic}`);
  }
  const unsupported = Object.keys(route).filter(k => !['name', 'match', 'route', 'mirror', 'mirrorPercentage', 'timeout', 'retries', 'rewrite', 'fault'].includes(k)
    && (route as any)[k] !== undefined);
  if (unsupported.length) api._require(owner, `route field(s) ${unsupported.join(', ')}`, 'none', classic);
  const destinations = route.route ?? [];
  for (const d of destinations) {
    if (d.headers?.response || d.headers?.request) {
      api._require(owner, 'headers set on one destination (e.g. a sticky canary\'s cookie)', 'none', classic);
    }
  }
  const filters: HttpRouteFilter[] = [];
  if (route.rewrite) {
    if (route.rewrite.uriRegexRewrite !== undefined) api._require(owner, 'a regex rewrite', 'none', classic);
    // Istio rewrites an exact match whole; a prefix match has its prefix replaced.
    const exact = route.match?.length && route.match.every(m => m.uri?.kind === StringMatchKind.EXACT);
    if (route.rewrite.uri !== undefined && route.match?.some(m => m.uri?.kind === StringMatchKind.REGEX)) {
      api._require(owner, 'a rewrite of a regex path match', 'none', classic);
    }
    filters.push(HttpRouteFilter.urlRewrite(exact
      ? { hostname: route.rewrite.authority, replaceFullPath: route.rewrite.uri }
      : { hostname: route.rewrite.authority, replacePrefixMatch: route.rewrite.uri }));
  }
  if (route.mirror) {
    const percent = route.mirrorPercentage;
    if (percent !== undefined && !Number.isInteger(percent)) {
      api._require(owner, `mirroring ${percent}% (Gateway API mirrors whole percents)`, 'none', `Use a whole percentage, or ${classic}`);
    }
    filters.push(HttpRouteFilter.requestMirror(backendOf(route.mirror), percent));
  }
  return {
    name: route.name,
    matches: route.match?.map(m => gatewayApiMatch(owner, api, m, classic)),
    filters: filters.length ? filters : undefined,
    backendRefs: destinations.map(d => ({ ...backendOf(d.destination), weight: destinations.length > 1 ? d.weight ?? 0 : d.weight })),
    timeouts: route.timeout || route.retries?.perTryTimeout ? { request: route.timeout, backendRequest: route.retries?.perTryTimeout } : undefined,
    retry: route.retries && { attempts: route.retries.attempts },
  };
}

/** The filters a GRPCRoute rule has. */
const GRPC_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror'];

/**
 * An HTTPRoute rule of a gRPC service as a GRPCRoute rule, or undefined when GRPCRoute has no
 * field for part of it (timeouts, retries, paths other than every call, HTTP methods, rewrites):
 * the host then keeps an HTTPRoute, which Istio applies to gRPC (HTTP/2) the same way. @internal
 */
export function grpcRuleOf(rule: HttpRouteRule): GrpcRouteRule | undefined {
  if (rule.timeouts || rule.retry || rule.filters?.some(f => !GRPC_FILTERS.includes(f._spec.type))) return undefined;
  // Every call's path starts with '/': that match is no condition at all.
  const everyCall = (m: HttpRouteMatch) => m.pathValue === undefined || (m.pathType === PathMatchType.PATH_PREFIX && m.pathValue === '/');
  if (rule.matches?.some(m => m.method !== undefined || !everyCall(m))) return undefined;
  const matches = rule.matches?.map(m => ({ headers: m.headers }));
  return {
    name: rule.name,
    matches: matches?.some(m => m.headers) ? matches : undefined,
    filters: rule.filters,
    backendRefs: rule.backendRefs ?? [],
  };
}

function gatewayApiMatch(owner: IConstruct, api: TrafficApi, m: HttpMatch, classic: string): HttpRouteMatch {
  const unsupported = Object.entries(m).filter(([k, v]) => v !== undefined && !['uri', 'headers', 'method', 'name'].includes(k)).map(([k]) => k);
  if (unsupported.length) api._require(owner, `matching on ${unsupported.join(', ')}`, 'none', classic);
  if (m.method && m.method.kind !== StringMatchKind.EXACT) api._require(owner, `a ${m.method.kind} method match`, 'none', classic);
  const headers: HttpHeaderMatch[] = Object.entries(m.headers ?? {}).map(([name, s]) => headerMatch(name, s));
  return {
    pathType: m.uri && pathType(m.uri),
    pathValue: m.uri?.value,
    headers: headers.length ? headers : undefined,
    method: m.method?.value,
  };
}

/** Istio's prefix is a string prefix; Gateway API's PathPrefix matches whole segments (documented in the README's mapping). */
function pathType(s: StringMatch): PathMatchType {
  switch (s.kind) {
    case StringMatchKind.EXACT: return PathMatchType.EXACT;
    case StringMatchKind.PREFIX: return PathMatchType.PATH_PREFIX;
    default: return PathMatchType.REGULAR_EXPRESSION;
  }
}

/** A header prefix has no Gateway API type: the same condition as an RE2 expression. */
function headerMatch(name: string, s: StringMatch): HttpHeaderMatch {
  switch (s.kind) {
    case StringMatchKind.EXACT: return { name, value: s.value };
    case StringMatchKind.PREFIX: return { name, value: `${s.value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}.*`, type: HeaderMatchType.REGULAR_EXPRESSION };
    default: return { name, value: s.value, type: HeaderMatchType.REGULAR_EXPRESSION };
  }
}

/** The Service a backend host names (`name.ns.svc.cluster.local`); other hosts cannot be Gateway API backends. @internal */
export function serviceOfHost(owner: IConstruct, host: string, defaultNamespace: string | undefined): { name: string; namespace?: string } {
  const parts = host.split('.');
  if (parts.length === 1) return { name: host, namespace: defaultNamespace };
  // Only `name.namespace.svc[.<cluster domain>]` is a Service: Istio takes other dotted hosts literally.
  if (parts.length >= 3 && parts[2] === 'svc') return { name: parts[0], namespace: parts[1] };
  return fail(owner, `routes to ${show(host)}, which is not a Kubernetes Service; Gateway API routes send requests to Services. `
    + 'Render this host with Istio\'s classic API: TrafficApi.use(<its chart>, TrafficApi.istio()).');
}

/** A listener's route admission settings. @internal */
export interface AdmittedRoutes {
  readonly routeNamespaces?: RouteNamespaces;
  readonly namespaceLabels?: { [key: string]: string };
}

/**
 * The listener settings that admit routes of `routeNamespace` to a Gateway in `gatewayNamespace`:
 * none when they are one namespace, else that namespace by name. @internal
 */
export function admitRoutesFrom(routeNamespace: string, gatewayNamespace: string): AdmittedRoutes {
  if (routeNamespace === gatewayNamespace) return {};
  return { routeNamespaces: RouteNamespaces.SELECTOR, namespaceLabels: { 'kubernetes.io/metadata.name': routeNamespace } };
}
