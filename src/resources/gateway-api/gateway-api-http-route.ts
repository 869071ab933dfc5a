import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BackendReference, ParentReference } from './references';
import { checkArguments } from '../../core/arguments';
import { istioDuration } from '../../core/duration';
import { fail, show } from '../../core/errors';
import { checkHeaderName, checkHost } from '../../core/names';
import { checkPort } from '../../core/percent';
import { checkRe2 } from '../../core/re2';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { checkRequestMirror, renderBackendRef, renderParentRef } from '../rendering/gateway-api-references';

/** How a path is matched. */
export enum PathMatchType {
  /** The whole path. */
  EXACT = 'Exact',
  /** Whole path segments: `/api` matches `/api` and `/api/x`, not `/apix`. */
  PATH_PREFIX = 'PathPrefix',
  /** An RE2 regular expression. */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** How a header is matched. */
export enum HeaderMatchType {
  /** The exact value. */
  EXACT = 'Exact',
  /** An RE2 regular expression. */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** A header condition. */
export interface HttpHeaderMatch {
  /** Header name. */
  readonly name: string;
  /** Value or expression. */
  readonly value: string;
  /** How. @default EXACT */
  readonly type?: HeaderMatchType;
}

/** One set of conditions (all must hold). */
export interface HttpRouteMatch {
  /** Path type. @default - PATH_PREFIX when pathValue is set */
  readonly pathType?: PathMatchType;
  /** Path. @default - any path */
  readonly pathValue?: string;
  /** Headers. @default - none */
  readonly headers?: HttpHeaderMatch[];
  /** Method, e.g. 'GET'. @default - any */
  readonly method?: string;
}

/** Header changes. */
export interface HttpHeaderModifier {
  /** Set (replace). @default - none */
  readonly set?: { [name: string]: string };
  /** Add (append). @default - none */
  readonly add?: { [name: string]: string };
  /** Remove. @default - none */
  readonly remove?: string[];
}

/** A redirect. */
export interface HttpRouteRedirect {
  /** Scheme. @default - the request's */
  readonly scheme?: string;
  /** Host. @default - the request's */
  readonly hostname?: string;
  /** Port. @default - the scheme's */
  readonly port?: number;
  /** Status code (301 or 302). @default 302 */
  readonly statusCode?: number;
}

/** A rewrite before forwarding. */
export interface HttpRouteUrlRewrite {
  /** New host. @default - unchanged */
  readonly hostname?: string;
  /** Replaces the matched path prefix (the rule's match must be PATH_PREFIX). @default - unchanged */
  readonly replacePrefixMatch?: string;
  /** Replaces the whole path. @default - unchanged */
  readonly replaceFullPath?: string;
}

/**
 * A filter of an HTTPRoute rule: the core and extended ones Istio implements.
 * (ExtensionRef and ExternalAuth are left out: Istio rejects them.)
 */
export class HttpRouteFilter {
  /** Changes request headers. */
  public static requestHeaderModifier(modifier: HttpHeaderModifier): HttpRouteFilter {
    checkArguments(undefined, 'HttpRouteFilter', 'requestHeaderModifier', arguments);
    return new HttpRouteFilter({ type: 'RequestHeaderModifier', requestHeaderModifier: headers(modifier) });
  }

  /** Changes response headers. */
  public static responseHeaderModifier(modifier: HttpHeaderModifier): HttpRouteFilter {
    checkArguments(undefined, 'HttpRouteFilter', 'responseHeaderModifier', arguments);
    return new HttpRouteFilter({ type: 'ResponseHeaderModifier', responseHeaderModifier: headers(modifier) });
  }

  /** Answers with a redirect. */
  public static requestRedirect(redirect: HttpRouteRedirect): HttpRouteFilter {
    checkArguments(undefined, 'HttpRouteFilter', 'requestRedirect', arguments);
    return new HttpRouteFilter({ type: 'RequestRedirect', requestRedirect: { ...redirect } });
  }

  /** Rewrites host or path. */
  public static urlRewrite(rewrite: HttpRouteUrlRewrite): HttpRouteFilter {
    checkArguments(undefined, 'HttpRouteFilter', 'urlRewrite', arguments);
    const path = rewrite.replacePrefixMatch !== undefined ? { type: 'ReplacePrefixMatch', replacePrefixMatch: rewrite.replacePrefixMatch }
      : rewrite.replaceFullPath !== undefined ? { type: 'ReplaceFullPath', replaceFullPath: rewrite.replaceFullPath } : undefined;
    return new HttpRouteFilter({ type: 'URLRewrite', urlRewrite: { hostname: rewrite.hostname, path } });
  }

  /** Copies a percentage of requests to another backend (answers discarded). */
  public static requestMirror(backend: BackendReference, percent?: number): HttpRouteFilter {
    checkArguments(undefined, 'HttpRouteFilter', 'requestMirror', arguments);
    return new HttpRouteFilter({ type: 'RequestMirror', requestMirror: { backendRef: backend, percent } });
  }

  private constructor(/** @internal */ public readonly _spec: any) {}
}

/** A backend of a rule, with filters of its own. */
export interface HttpBackendReference extends BackendReference {
  /** Filters applied to requests sent to this backend only. @default - none */
  readonly filters?: HttpRouteFilter[];
}

/** Timeouts of a rule. */
export interface HttpRouteTimeouts {
  /** The whole request, retries included. @default - none */
  readonly request?: Duration;
  /**
   * Each try to a backend (with retries; without them Istio uses it as the request's time at
   * the backend). At most `request`. @default - none
   */
  readonly backendRequest?: Duration;
}

/** Retries of a rule (Gateway API's experimental channel). */
export interface HttpRouteRetry {
  /** Attempts. @default - the implementation's */
  readonly attempts?: number;
  /** HTTP status codes retried. @default - the implementation's */
  readonly codes?: number[];
  /** Wait between tries. @default - the implementation's */
  readonly backoff?: Duration;
}

/** One rule: conditions, filters, backends. */
export interface HttpRouteRule {
  /** Name (unique in the route). @default - none */
  readonly name?: string;
  /** Any of these matches selects the rule. @default - every request */
  readonly matches?: HttpRouteMatch[];
  /** Filters. @default - none */
  readonly filters?: HttpRouteFilter[];
  /** Backends, weighted. @default - none (only with a redirect filter) */
  readonly backendRefs?: HttpBackendReference[];
  /** Timeouts. @default - none */
  readonly timeouts?: HttpRouteTimeouts;
  /** Retries (experimental channel only). @default - none */
  readonly retry?: HttpRouteRetry;
}

/** Props of a `GatewayApiHttpRoute`. */
export interface GatewayApiHttpRouteProps extends IstioResourceProps {
  /** Gateways (ingress) or Services (mesh traffic, GAMMA) the route attaches to. */
  readonly parentRefs: ParentReference[];
  /** Hosts (Gateway parents only). @default - every host the listener serves */
  readonly hostnames?: string[];
  /** Rules (more with addRule()). @default - none */
  readonly rules?: HttpRouteRule[];
}

/**
 * A Kubernetes Gateway API `HTTPRoute` (`gateway.networking.k8s.io/v1`).
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 *
 * @example
 * declare const chart: Chart;
 *
 * new GatewayApiHttpRoute(chart, 'reviews', {
 *   parentRefs: [{ kind: 'Service', name: 'reviews', port: 9080 }],
 *   rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 90 }, { name: 'reviews-v2', port: 9080, weight: 10 }] }],
 * });
 */
export class GatewayApiHttpRoute extends IstioResource {
  /** One rule as the API writes it, checked, naming `scope` and `prop` in errors. @internal */
  public static _renderRule(scope: Construct, prop: string, rule: HttpRouteRule): any {
    return renderHttpRouteRule(scope, prop, rule);
  }

  private readonly rules: any[] = [];
  private readonly parentRefs: any[];
  private readonly hostnames?: string[];
  private generated?: () => any[];

  constructor(scope: Construct, id: string, props: GatewayApiHttpRouteProps) {
    super(scope, id, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }, props, 'GatewayApiHttpRoute');
    if (props.parentRefs.length === 0) fail(this, 'parentRefs is empty; a route attaches to a Gateway or a Service.');
    this.parentRefs = props.parentRefs.map((p, i) => renderParentRef(this, `parentRefs[${i}]`, p));
    props.hostnames?.forEach((h, i) => checkHost(this, `hostnames[${i}]`, h));
    if (props.hostnames?.length && props.parentRefs.every(p => p.kind === 'Service')) {
      fail(this, 'hostnames on a route whose parents are Services: mesh routes (GAMMA) take the Service\'s host; remove hostnames.');
    }
    this.hostnames = props.hostnames;
    props.rules?.forEach(r => this.addRule(r));
  }

  /** Adds a rule after the others. */
  public addRule(rule: HttpRouteRule): void {
    checkArguments(this, 'GatewayApiHttpRoute', 'addRule', arguments);
    this.rules.push(renderHttpRouteRule(this, `rules[${this.rules.length}]`, rule));
  }

  /** Rules rendered at synth time by an intent (after the added ones). @internal */
  public _generateRules(produce: () => any[]): void {
    this.generated = produce;
  }

  /** @internal */
  protected _renderSpec(): any {
    const rules = [...this.rules, ...this.generated?.() ?? []];
    return { parentRefs: this.parentRefs, hostnames: this.hostnames, rules: rules.length ? rules : undefined };
  }
}

/** One rule as the API writes it, checked. */
function renderHttpRouteRule(scope: Construct, prop: string, rule: HttpRouteRule): any {
  rule.matches?.forEach((m, i) => {
    const where = `${prop}.matches[${i}]`;
    if (m.pathType !== undefined && m.pathValue === undefined) fail(scope, `${where}.pathType is set without pathValue.`);
    if (m.pathValue !== undefined) {
      if ((m.pathType ?? PathMatchType.PATH_PREFIX) !== PathMatchType.REGULAR_EXPRESSION && !m.pathValue.startsWith('/')) {
        fail(scope, `${where}.pathValue must start with '/', got ${show(m.pathValue)}.`);
      }
      if (m.pathType === PathMatchType.REGULAR_EXPRESSION) checkRe2(scope, `${where}.pathValue`, m.pathValue);
    }
    m.headers?.forEach((h, j) => {
      checkHeaderName(scope, `${where}.headers[${j}].name`, h.name);
      if (h.type === HeaderMatchType.REGULAR_EXPRESSION) checkRe2(scope, `${where}.headers[${j}].value`, h.value);
    });
  });
  rule.filters?.forEach((f, i) => checkFilter(scope, `${prop}.filters[${i}]`, f, rule));
  rule.backendRefs?.forEach((b, i) => b.filters?.forEach((f, j) => checkFilter(scope, `${prop}.backendRefs[${i}].filters[${j}]`, f, rule)));
  const redirects = rule.filters?.some(f => f._spec.type === 'RequestRedirect');
  if (redirects && rule.backendRefs?.length) fail(scope, `${prop} redirects and has backendRefs; a redirect answers the request itself.`);
  if (!redirects && !rule.backendRefs?.length) fail(scope, `${prop} has no backendRefs and no redirect, so every request it matches gets 500.`);
  return {
    name: rule.name,
    matches: rule.matches?.map(m => ({
      // Without a path the API server stores PathPrefix '/': written out, the object is what the cluster holds (no drift).
      path: { type: m.pathValue !== undefined ? m.pathType ?? PathMatchType.PATH_PREFIX : PathMatchType.PATH_PREFIX, value: m.pathValue ?? '/' },
      headers: m.headers?.map(h => ({ type: h.type, name: h.name, value: h.value })),
      method: m.method,
    })),
    filters: rule.filters?.map(f => f._spec),
    backendRefs: rule.backendRefs?.map((b, i) => ({ ...renderBackendRef(scope, `${prop}.backendRefs[${i}]`, b), filters: b.filters?.map(f => f._spec) })),
    timeouts: rule.timeouts && {
      request: istioDuration(scope, `${prop}.timeouts.request`, rule.timeouts.request),
      backendRequest: istioDuration(scope, `${prop}.timeouts.backendRequest`, rule.timeouts.backendRequest),
    },
    retry: rule.retry && {
      attempts: rule.retry.attempts,
      codes: rule.retry.codes,
      backoff: istioDuration(scope, `${prop}.retry.backoff`, rule.retry.backoff),
    },
  };
}

function checkFilter(scope: Construct, prop: string, f: HttpRouteFilter, rule: HttpRouteRule): void {
  if (!(f instanceof HttpRouteFilter)) fail(scope, `${prop} must be an HttpRouteFilter (HttpRouteFilter.requestHeaderModifier(...), ...), got ${show(f)}.`);
  const s = f._spec;
  if (s.type === 'RequestRedirect') {
    checkPort(scope, `${prop}.port`, s.requestRedirect.port);
    if (s.requestRedirect.statusCode !== undefined && ![301, 302].includes(s.requestRedirect.statusCode)) {
      fail(scope, `${prop}.statusCode must be 301 or 302, got ${show(s.requestRedirect.statusCode)}.`);
    }
  }
  if (s.type === 'RequestMirror') checkRequestMirror(scope, prop, s.requestMirror);
  if (s.type === 'URLRewrite' && s.urlRewrite.path?.type === 'ReplacePrefixMatch'
    && !(rule.matches ?? []).every(m => m.pathValue !== undefined && (m.pathType ?? PathMatchType.PATH_PREFIX) === PathMatchType.PATH_PREFIX)) {
    fail(scope, `${prop} replaces the matched prefix, so every match of the rule must be a PATH_PREFIX path.`);
  }
}

function headers(m: HttpHeaderModifier): any {
  const list = (o?: { [name: string]: string }) => o && Object.entries(o).map(([name, value]) => ({ name, value }));
  return { set: list(m.set), add: list(m.add), remove: m.remove };
}
