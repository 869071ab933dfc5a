import { IConstruct } from 'constructs';
import { istioDuration } from '../../core/duration';
import { fail } from '../../core/errors';
import { IstioVersion } from '../../core/istio-version';
import { checkHost, checkLabels } from '../../core/names';
import { checkPort, renderPercent } from '../../core/percent';
import { StringMatch, StringMatchKind } from '../../core/string-match';
import { HeaderOperations, Headers, HttpMatch, HttpRoute, RouteDestination } from '../http-route';
import { TcpRoute, TlsRoute, WeightedDestination } from '../tls-tcp-route';

/*
 * Renders routes into Istio's JSON, checking what the API reference requires.
 * Internal: not exported from the package.
 */

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
  if (r.redirect?.prefixRewrite !== undefined) {
    // Istio reads an empty prefixRewrite as unset: it would keep the prefix, not strip it.
    if (r.redirect.prefixRewrite === '') fail(scope, `${prop}.redirect.prefixRewrite is '', which Istio ignores; to strip the matched prefix, use '/'.`);
    if (r.redirect.uri) fail(scope, `${prop}.redirect sets both uri and prefixRewrite; Istio allows only one.`);
    const notPrefix = (r.match ?? []).findIndex(m => m.uri !== undefined && m.uri.kind !== StringMatchKind.PREFIX);
    if (notPrefix >= 0) fail(scope, `${prop}.redirect.prefixRewrite replaces a matched prefix, but match[${notPrefix}].uri is not a prefix match; use StringMatch.prefix() or redirect.uri.`);
    IstioVersion._require(scope, '1.31', `${prop}.redirect.prefixRewrite`, r.redirect);
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
      prefixRewrite: r.redirect.prefixRewrite,
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

/** Renders a `{ name: StringMatch }` map. */
function renderMatchMap(scope: IConstruct, prop: string, map: { [key: string]: StringMatch } | undefined): any {
  if (map === undefined) return undefined;
  const out: { [key: string]: any } = {};
  for (const [k, v] of Object.entries(map)) out[k] = v._render(scope, `${prop}.${k}`);
  return out;
}
