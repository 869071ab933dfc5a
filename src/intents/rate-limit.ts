import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { IngressHost } from './ingress-host';
import { checkArguments, checkProps } from '../core/arguments';
import { DataPlane, DataPlaneMode } from '../core/data-plane';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { Expectation, ExpectedRequest, durationText, promise } from '../core/expectations';
import { checkDns1123Label, checkDns1123Subdomain, checkHeaderName, nameFromId } from '../core/names';
import { SUPPRESS_ANNOTATION } from '../core/suppression';
import { WorkloadSelector } from '../core/workload-selector';
import { EnvoyFilter, EnvoyPatchOperation, EnvoyPatchTarget } from '../resources/envoy-filter';
import { IRateLimitService } from '../resources/rate-limit-service-reference';

/** The period a global limit counts requests in. */
export enum RateLimitUnit {
  /** Per second. */
  SECOND = 'second',
  /** Per minute. */
  MINUTE = 'minute',
  /** Per hour. */
  HOUR = 'hour',
  /** Per day. */
  DAY = 'day',
}

/** A token bucket: `maxTokens` requests at once, refilled by `tokensPerFill` every `fillInterval`. */
export interface TokenBucket {
  /** Requests allowed in a burst (the bucket's size). */
  readonly maxTokens: number;
  /** Tokens added per interval. @default - maxTokens */
  readonly tokensPerFill?: number;
  /** How often tokens are added (at least 50ms, Envoy's minimum). */
  readonly fillInterval: Duration;
}

/**
 * A local limit for some requests only, with its own bucket. A request takes a token from
 * every route bucket it matches (nested prefixes such as `/api` and `/api/login` both count
 * a login), and from the default bucket only when it matches none.
 */
export interface LocalRouteLimit extends TokenBucket {
  /** Name of the limit (a DNS label), used as its descriptor value and in statistics. */
  readonly name: string;
  /** Requests whose path starts with this (a plain string prefix, query included). @default - any path */
  readonly pathPrefix?: string;
  /** Requests carrying this header. @default - any headers */
  readonly header?: string;
  /** ... with this exact value. @default - any value */
  readonly headerValue?: string;
}

/** Per-proxy token buckets: every replica enforces its own. */
export interface LocalRateLimitOptions extends TokenBucket {
  /** Buckets for some requests; a request matching any of them takes a token from each of those instead of the default bucket. @default - none */
  readonly routes?: LocalRouteLimit[];
}

/**
 * Who a per-client quota counts separately.
 *
 * @example
 * const byApiKey = RateLimitClient.header('x-api-key');
 * const byUser = RateLimitClient.jwtClaim('sub');
 */
export class RateLimitClient {
  /** The value of a request header, e.g. an API key (`x-api-key`). */
  public static header(name: string): RateLimitClient {
    checkArguments(undefined, 'RateLimitClient', 'header', arguments);
    return new RateLimitClient(name, undefined);
  }

  /**
   * A claim of the request's validated JWT (default `sub`, the subject), as Istio's
   * jwt_authn filter stores it; needs a RequestAuthentication (e.g. `JwtProtectedService`) on the same pods.
   */
  public static jwtClaim(claim: string = 'sub'): RateLimitClient {
    checkArguments(undefined, 'RateLimitClient', 'jwtClaim', arguments);
    return new RateLimitClient(undefined, claim);
  }

  private constructor(
    /** The header, for a header client. */
    public readonly headerName: string | undefined,
    /** The claim, for a JWT client. */
    public readonly claimName: string | undefined) {}
}

/** One global limit, counted by the rate limit service across all replicas. */
export interface GlobalLimit {
  /** Name of the limit (a DNS label): its descriptor value. */
  readonly name: string;
  /** Requests allowed per unit (per client with `perClient`). */
  readonly requestsPerUnit: number;
  /** The period. */
  readonly unit: RateLimitUnit;
  /** Only requests whose path starts with this. @default - every request */
  readonly pathPrefix?: string;
  /**
   * Count each client separately. Requests without the client's header or claim share one
   * bucket of the same size, so leaving the key out does not escape the limit. A header is
   * trusted as sent: a client inventing a new key per request is never limited, so validate
   * keys before this proxy, count by a verified JWT claim, or add a limit without perClient.
   * @default - one count for everybody
   */
  readonly perClient?: RateLimitClient;
}

/** Limits enforced by Envoy's global rate limit service. */
export interface GlobalRateLimitOptions {
  /** The rate limit service proxies ask (e.g. a `RateLimitService`). */
  readonly service: IRateLimitService;
  /** The limits. */
  readonly limits: GlobalLimit[];
  /** Refuse requests while the service cannot be reached (instead of letting them through). @default false */
  readonly failClosed?: boolean;
  /** How long a proxy waits for the service's answer. @default Duration.millis(100) */
  readonly timeout?: Duration;
}

/** Props of a `RateLimit`. */
export interface RateLimitProps {
  /** The workload whose sidecar enforces the limits on its inbound requests. @default - none: then ingressHosts (exactly one of the two) */
  readonly workload?: WorkloadSelector;
  /**
   * Ingress hosts (from `MeshIngress.addHost`, all served by one gateway) whose requests the
   * gateway limits; each host has its own buckets. @default - none: then workload (exactly one of the two)
   */
  readonly ingressHosts?: IngressHost[];
  /** Token buckets in every proxy. @default - none */
  readonly localLimits?: LocalRateLimitOptions;
  /** Limits counted by a rate limit service. @default - none */
  readonly globalLimits?: GlobalRateLimitOptions;
  /** Tell clients their quota (`x-ratelimit-limit`, `-remaining`, `-reset`). @default true */
  readonly responseHeaders?: boolean;
  /** Name of the EnvoyFilter and of the rate limit domain. @default - derived from the construct id */
  readonly name?: string;
}

const LOCAL_FILTER = 'envoy.filters.http.local_ratelimit';
const GLOBAL_FILTER = 'envoy.filters.http.ratelimit';
const ROUTER = { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } };
// The local filter reads rate_limits of stage 1, the global one those of stage 0: neither sees the other's descriptors.
const LOCAL_STAGE = 1;
const HUNDRED_PERCENT = { numerator: 100, denominator: 'HUNDRED' };

/**
 * Rate limits for a workload (its sidecar, inbound) or an ingress host (the gateway):
 * local token buckets enforced by every proxy (`envoy.filters.http.local_ratelimit`),
 * and global limits counted by Envoy's rate limit service (`envoy.filters.http.ratelimit`),
 * optionally per client (an API key header or a JWT claim). One EnvoyFilter carries the
 * filters and the virtual host's rate limit actions; the service gets the descriptors.
 * Over the limit, clients get 429.
 *
 * @see https://istio.io/latest/docs/tasks/policy-enforcement/rate-limit/
 *
 * @example
 * declare const chart: Chart;
 * declare const api: kplus.Deployment;
 * declare const limits: RateLimitService;
 *
 * new RateLimit(chart, 'api', {
 *   workload: WorkloadSelector.fromWorkload(api),
 *   localLimits: { maxTokens: 100, fillInterval: Duration.seconds(1) },
 *   globalLimits: { service: limits, limits: [{ name: 'per-key', requestsPerUnit: 1000, unit: RateLimitUnit.HOUR, perClient: RateLimitClient.header('x-api-key') }] },
 * });
 */
export class RateLimit extends Construct {
  /** The EnvoyFilter carrying the filters and the rate limit actions. */
  public readonly envoyFilter: EnvoyFilter;
  /** The rate limit domain (global limits only). */
  public readonly domain?: string;

  constructor(scope: Construct, id: string, props: RateLimitProps) {
    super(scope, id);
    checkProps(this, 'RateLimit', props);
    reportChildErrorsAsOwn(this);
    if ((props.workload === undefined) === (props.ingressHosts === undefined)) {
      fail(this, 'set exactly one of workload (its sidecar limits inbound requests) and ingressHosts (the gateway limits requests to those hosts).');
    }
    const hosts = props.ingressHosts ?? [];
    if (props.ingressHosts && hosts.length === 0) fail(this, 'ingressHosts is empty; name the hosts (from MeshIngress.addHost) to limit.');
    hosts.forEach((h, i) => {
      if (!(h instanceof IngressHost)) fail(this, `ingressHosts[${i}] must be an IngressHost (from MeshIngress.addHost), got ${show(h)}.`);
      const first = hosts[0].gatewayWorkload;
      if (h.gatewayWorkload.namespace !== first.namespace || JSON.stringify(h.gatewayWorkload.podLabels) !== JSON.stringify(first.podLabels)) {
        fail(this, `ingressHosts[${i}] (${show(h.host)}) is served by gateway '${h.gatewayWorkload.name}', not '${first.name}' like ingressHosts[0]; use one RateLimit per gateway.`);
      }
    });
    if (!props.localLimits && !props.globalLimits) fail(this, 'has neither localLimits nor globalLimits, so it would limit nothing. Add one or both.');
    const name = props.name ?? nameFromId(this.node.id);
    checkDns1123Subdomain(this, props.name !== undefined ? 'name' : `name (derived from the id ${show(this.node.id)}; set name to choose another)`, name);
    const headers = props.responseHeaders ?? true;
    const gateway = hosts[0]?.gatewayWorkload;
    const labels = gateway ? gateway.podLabels : props.workload!._render(this, 'workload');
    const namespace = gateway ? gateway.namespace : Chart.of(this).namespace;
    const context = gateway ? 'GATEWAY' : 'SIDECAR_INBOUND';
    claimProxies(this, namespace, labels);

    const local = props.localLimits && this.localConfig(props.localLimits, headers);
    const global = props.globalLimits && this.globalConfig(props.globalLimits, name);
    const filters = [
      ...(local ? [{ name: LOCAL_FILTER, typed_config: { '@type': typeUrl('local_ratelimit', 'LocalRateLimit'), 'stat_prefix': 'http_local_rate_limiter' } }] : []),
      ...(global ? [{
        name: GLOBAL_FILTER,
        typed_config: {
          '@type': typeUrl('ratelimit', 'RateLimit'),
          'domain': name,
          'failure_mode_deny': props.globalLimits!.failClosed ?? false,
          'timeout': durationText(props.globalLimits!.timeout ?? Duration.millis(100)),
          'enable_x_ratelimit_headers': headers ? 'DRAFT_VERSION_03' : undefined,
          'rate_limit_service': {
            grpc_service: { envoy_grpc: { cluster_name: `outbound|${props.globalLimits!.service.grpcPort}||${props.globalLimits!.service.serviceHost}` } },
            transport_api_version: 'V3',
          },
        },
      }] : []),
    ];
    // Gateways name virtual hosts '<host>:<port>'; a sidecar's inbound ones are all this workload's.
    const vhostMatches = gateway
      ? hosts.map(h => ({ context, routeConfiguration: { portNumber: h.port, vhost: { name: `${h.host}:${h.port}` } } }))
      : [{ context }];
    const vhostValue = {
      rate_limits: [...local?.actions ?? [], ...global?.actions ?? []],
      typed_per_filter_config: local ? { [LOCAL_FILTER]: local.config } : undefined,
    };
    this.envoyFilter = new EnvoyFilter(this, 'EnvoyFilter', {
      // Istio warns about every EnvoyFilter (internal details may change: IST0106 from its validation,
      // IST0133 from istioctl analyze); Istio has no other API for rate limits, and its validation
      // still rejects any patch it cannot convert.
      metadata: { name, namespace, annotations: { [SUPPRESS_ANNOTATION]: 'IST0106,IST0133' } },
      workloadSelector: WorkloadSelector.fromLabels(labels),
      // Inserted before the router, so after Istio's authentication and authorization (a JWT claim is
      // there to count by); a non-zero priority orders this filter among EnvoyFilters deterministically.
      priority: 10,
      configPatches: [
        ...filters.map(value => ({
          applyTo: EnvoyPatchTarget.HTTP_FILTER,
          match: { context, listener: ROUTER },
          operation: EnvoyPatchOperation.INSERT_BEFORE,
          value,
        })),
        ...vhostMatches.map(match => ({ applyTo: EnvoyPatchTarget.VIRTUAL_HOST, match, operation: EnvoyPatchOperation.MERGE, value: vhostValue })),
      ],
    });
    this.node.defaultChild = this.envoyFilter;
    if (global) {
      this.domain = name;
      props.globalLimits!.service.addDomain(this, name, global.descriptors);
    }
    this.node.addValidation({ validate: () => this.checkApp(props, labels, namespace) });
    promise(this, () => this.promises(props, labels, namespace));
  }

  private bucket(prop: string, b: TokenBucket): any {
    const whole = (field: string, v: number | undefined) => {
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) fail(this, `${prop}.${field} must be a whole number of at least 1, got ${show(v)}.`);
    };
    whole('maxTokens', b.maxTokens);
    whole('tokensPerFill', b.tokensPerFill);
    const ms = b.fillInterval.toMilliseconds();
    if (!(ms >= 50)) fail(this, `${prop}.fillInterval is ${ms}ms; Envoy refills at most every 50ms. Use at least Duration.millis(50).`);
    return { max_tokens: b.maxTokens, tokens_per_fill: b.tokensPerFill ?? b.maxTokens, fill_interval: durationText(b.fillInterval) };
  }

  private localConfig(local: LocalRateLimitOptions, headers: boolean): { config: any; actions: any[] } {
    const routes = local.routes ?? [];
    const names = new Set<string>();
    const conditions = new Map<string, string>();
    const actions: any[] = [];
    const descriptors: any[] = [];
    routes.forEach((r, i) => {
      const prop = `localLimits.routes[${i}]`;
      checkDns1123Label(this, `${prop}.name`, r.name);
      if (names.has(r.name)) fail(this, `${prop}.name ${show(r.name)} is used twice; each route limit needs its own name.`);
      names.add(r.name);
      const match = matchHeaders(this, prop, r.pathPrefix, r.header, r.headerValue);
      const key = JSON.stringify(match);
      if (conditions.has(key)) fail(this, `${prop} matches the same requests as ${show(conditions.get(key))}; two buckets for one set of requests would both apply. Merge them.`);
      conditions.set(key, r.name);
      actions.push({ stage: LOCAL_STAGE, actions: [{ header_value_match: { descriptor_value: r.name, expect_match: true, headers: match } }] });
      descriptors.push({ entries: [{ key: 'header_match', value: r.name }], token_bucket: this.bucket(prop, r) });
    });
    const config = {
      '@type': typeUrl('local_ratelimit', 'LocalRateLimit'),
      'stat_prefix': 'http_local_rate_limiter',
      'stage': LOCAL_STAGE,
      'token_bucket': this.bucket('localLimits', local),
      'filter_enabled': { runtime_key: 'local_rate_limit_enabled', default_value: HUNDRED_PERCENT },
      'filter_enforced': { runtime_key: 'local_rate_limit_enforced', default_value: HUNDRED_PERCENT },
      'enable_x_ratelimit_headers': headers ? 'DRAFT_VERSION_03' : undefined,
      'descriptors': descriptors.length ? descriptors : undefined,
      // A request with its own bucket does not also use up the default one.
      'always_consume_default_token_bucket': descriptors.length ? false : undefined,
    };
    return { config, actions };
  }

  private globalConfig(global: GlobalRateLimitOptions, domain: string): { actions: any[]; descriptors: any[] } {
    if (global.limits.length === 0) fail(this, 'globalLimits.limits is empty; list at least one limit, or remove globalLimits.');
    const names = new Set<string>();
    const conditions = new Map<string, string>();
    const actions: any[] = [];
    const descriptors: any[] = [];
    global.limits.forEach((l, i) => {
      const prop = `globalLimits.limits[${i}]`;
      checkDns1123Label(this, `${prop}.name`, l.name);
      if (names.has(l.name)) fail(this, `${prop}.name ${show(l.name)} is used twice in domain ${show(domain)}; each limit needs its own name.`);
      names.add(l.name);
      if (!Number.isInteger(l.requestsPerUnit) || l.requestsPerUnit < 1) {
        fail(this, `${prop}.requestsPerUnit must be a whole number of at least 1, got ${show(l.requestsPerUnit)}. To refuse all requests, use an AuthorizationPolicy.`);
      }
      if (!Object.values(RateLimitUnit).includes(l.unit)) fail(this, `${prop}.unit must be a RateLimitUnit, got ${show(l.unit)}.`);
      if (l.perClient !== undefined && !(l.perClient instanceof RateLimitClient)) {
        fail(this, `${prop}.perClient must be RateLimitClient.header(...) or RateLimitClient.jwtClaim(...), got ${show(l.perClient)}.`);
      }
      const key = JSON.stringify([l.pathPrefix ?? '', l.perClient?.headerName ?? '', l.perClient?.claimName ?? '']);
      if (conditions.has(key)) fail(this, `${prop} counts the same requests as ${show(conditions.get(key))}; merge them into one limit.`);
      conditions.set(key, l.name);
      const first = l.pathPrefix !== undefined
        ? { header_value_match: { descriptor_key: 'limit', descriptor_value: l.name, expect_match: true, headers: matchHeaders(this, prop, l.pathPrefix) } }
        : { generic_key: { descriptor_key: 'limit', descriptor_value: l.name } };
      const client = l.perClient?.headerName !== undefined
        ? { request_headers: { header_name: checkHeaderName(this, `${prop}.perClient`, l.perClient.headerName), descriptor_key: 'client', skip_if_absent: true } }
        : l.perClient?.claimName !== undefined
          ? {
            metadata: {
              descriptor_key: 'client',
              metadata_key: { key: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: checkClaim(this, `${prop}.perClient`, l.perClient.claimName) }] },
              source: 'DYNAMIC',
              skip_if_absent: true,
            },
          }
          : undefined;
      actions.push({ actions: client ? [first, client] : [first] });
      const rate = { unit: l.unit, requests_per_unit: l.requestsPerUnit };
      // Without the client entry (no key, no token) a request counts against the shared bucket above.
      descriptors.push({ key: 'limit', value: l.name, rate_limit: rate, ...client ? { descriptors: [{ key: 'client', rate_limit: rate }] } : {} });
    });
    return { actions, descriptors };
  }

  private checkApp(props: RateLimitProps, labels: { [key: string]: string }, namespace: string | undefined): string[] {
    const errors: string[] = [];
    const objects = this.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const ns = namespace ?? 'default';
    if (DataPlane.of(this, ns) === DataPlaneMode.AMBIENT && !props.ingressHosts) {
      errors.push(`RateLimit '${this.node.path}': namespace ${show(ns)} is ambient, where pods have no sidecar to run these Envoy filters. `
        + 'Limit requests at ingress hosts (ingressHosts) instead; waypoints are not supported yet.');
    }
    const claims = (props.globalLimits?.limits ?? []).filter(l => l.perClient?.claimName !== undefined);
    if (claims.length) {
      const selects = (o: ApiObject) => {
        const json = o.toJson();
        const match = json.spec?.selector?.matchLabels;
        return (json.metadata?.namespace ?? 'default') === ns && match && Object.entries(match).every(([k, v]) => labels[k] === v);
      };
      if (!objects.some(o => o.kind === 'RequestAuthentication' && selects(o))) {
        errors.push(`RateLimit '${this.node.path}': limit ${show(claims[0].name)} counts per JWT claim ${show(claims[0].perClient!.claimName)}, but no RequestAuthentication in this app `
          + `validates tokens on these pods (${JSON.stringify(labels)} in ${show(ns)}), so no request has one and all would share one bucket. Add a JwtProtectedService for them.`);
      }
    }
    return errors;
  }

  /**
   * A burst one request above a bucket's size gets 429 from the last request (no time
   * passes between them), for the default bucket and each route's; and each global
   * limit's descriptors reach the service, whose configuration holds the limit.
   */
  private promises(props: RateLimitProps, labels: { [key: string]: string }, namespace: string | undefined): Expectation[] {
    const bases: ExpectedRequest[] = [];
    for (const host of props.ingressHosts ?? []) {
      const svc = host.gatewayWorkload.serviceHost?.split('.');
      if (!host.gatewayWorkload.managedByApp || !svc || svc.length < 2 || host.host.includes('*')) continue;
      bases.push({ via: { namespace: svc[1], service: svc[0] }, scheme: host.tls ? 'https' : 'http', host: host.host, port: host.port, path: '/' });
    }
    const port = props.workload?._ports?.[0];
    if (props.workload && port !== undefined) {
      bases.push({ from: { namespace: 'semantics-caller' }, to: { namespace: namespace ?? 'default', labels }, host: 'semantics.test', port, path: '/' });
    }
    return bases.flatMap(base => this.promisesFor(props, base));
  }

  private promisesFor(props: RateLimitProps, base: ExpectedRequest): Expectation[] {
    const out: Expectation[] = [];
    const local = props.localLimits;
    if (local) {
      // A request takes a token from every route bucket it matches, else from the default bucket.
      const routes = local.routes ?? [];
      const requests = [
        { path: '/semantics', headers: undefined as { [name: string]: string } | undefined },
        ...routes.map(r => ({ path: r.pathPrefix ?? '/semantics', headers: r.header ? { [r.header.toLowerCase()]: r.headerValue ?? 'semantics' } : undefined })),
      ];
      const seen = new Set<string>();
      for (const request of requests) {
        const matched = routes.filter(r => (r.pathPrefix === undefined || request.path.startsWith(r.pathPrefix))
          && (r.header === undefined || (request.headers?.[r.header.toLowerCase()] !== undefined
            && (r.headerValue === undefined || request.headers[r.header.toLowerCase()] === r.headerValue))));
        const buckets: Array<[string, TokenBucket]> = matched.length ? matched.map(r => [r.name, r]) : [['default', local]];
        const key = buckets.map(b => b[0]).join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(burst({ ...base, path: request.path, headers: request.headers }, buckets));
      }
    }
    // A request is counted by every limit whose path it is on: the promise names them all, in order.
    const limits = props.globalLimits?.limits ?? [];
    const counted = (path: string, headers: { [name: string]: string } | undefined) => {
      const hit = limits.filter(l => l.pathPrefix === undefined || path.startsWith(l.pathPrefix));
      const client = (l: GlobalLimit) => l.perClient?.headerName !== undefined && headers?.[l.perClient.headerName] !== undefined
        ? [`client=${headers[l.perClient.headerName]}`] : [];
      return {
        domain: this.domain!,
        descriptors: hit.map(l => [`limit=${l.name}`, ...client(l)]),
        limits: hit.map(l => `${l.requestsPerUnit}/${l.unit}`),
      };
    };
    for (const l of limits) {
      const path = l.pathPrefix ?? '/semantics';
      const limit = `${l.requestsPerUnit}/${l.unit}`;
      const header = l.perClient?.headerName;
      const headers = header ? { [header]: 'client-a' } : undefined;
      out.push({
        promise: `a request${header ? ` with ${header}` : ''} to ${path} is counted against ${l.name} (${limit}${l.perClient ? ' per client' : ''})`,
        request: { ...base, path, headers },
        expect: { rateLimit: counted(path, headers) },
      });
      if (header) {
        out.push({
          promise: `a request without ${header} still counts, in the shared bucket of ${l.name} (${limit})`,
          request: { ...base, path },
          expect: { rateLimit: counted(path, undefined) },
        });
      }
    }
    return out;
  }
}

const LIMITED = Symbol.for('cdk8s-istio.RateLimit.proxies');

/**
 * One RateLimit per set of proxies: each one's filters would also read the other's rate
 * limit actions (the global one sending them under its domain, the local one's buckets
 * being found by filter name), so two would count requests twice or in the wrong domain.
 */
function claimProxies(rl: RateLimit, namespace: string | undefined, labels: { [key: string]: string }): void {
  const root = rl.node.root as any;
  if (!root[LIMITED]) Object.defineProperty(root, LIMITED, { value: new Map<string, RateLimit>() });
  const key = `${namespace ?? 'default'}|${JSON.stringify(Object.entries(labels).sort())}`;
  const other: RateLimit | undefined = root[LIMITED].get(key);
  if (other) {
    fail(rl, `limits the same proxies (${JSON.stringify(labels)} in ${show(namespace ?? 'default')}) as RateLimit '${other.node.path}'; `
      + 'their filters would read each other\'s rate limit actions. Put all limits of these proxies in one RateLimit (ingressHosts takes several hosts).');
  }
  root[LIMITED].set(key, rl);
}

/** A burst one above the smallest bucket the request takes from: the last request is refused. */
function burst(request: ExpectedRequest, buckets: Array<[string, TokenBucket]>): Expectation {
  const passed = Math.min(...buckets.map(([, b]) => b.maxTokens));
  const names = buckets.map(([name, b]) => `${name} (${b.maxTokens})`).join(' and ');
  return {
    promise: `${passed + 1} requests at once to ${request.path}${request.headers ? ` with ${Object.keys(request.headers).join(', ')}` : ''}: `
      + `${passed} pass, the last is refused (bucket${buckets.length > 1 ? 's' : ''} ${names})`,
    request: { ...request, repeat: passed + 1 },
    expect: {
      status: 429,
      localRateLimit: {
        buckets: buckets.map(([name, b]) => `${name}: ${b.maxTokens} tokens, +${b.tokensPerFill ?? b.maxTokens} every ${durationText(b.fillInterval)}`),
        passed,
      },
    },
  };
}

/** Envoy header matchers for a path prefix and a header (present, or with a value). */
function matchHeaders(scope: IConstruct, prop: string, pathPrefix?: string, header?: string, value?: string): any[] {
  if (pathPrefix === undefined && header === undefined) fail(scope, `${prop} has neither pathPrefix nor header, so it would match every request; that is the default bucket's job.`);
  if (pathPrefix !== undefined && !pathPrefix.startsWith('/')) fail(scope, `${prop}.pathPrefix must start with '/', got ${show(pathPrefix)}.`);
  if (value !== undefined && header === undefined) fail(scope, `${prop}.headerValue is set without header; name the header.`);
  const out: any[] = [];
  if (pathPrefix !== undefined) out.push({ name: ':path', string_match: { prefix: pathPrefix } });
  if (header !== undefined) {
    checkHeaderName(scope, `${prop}.header`, header);
    const name = header.toLowerCase();
    out.push(value === undefined ? { name, present_match: true } : { name, string_match: { exact: value } });
  }
  return out;
}

function checkClaim(scope: IConstruct, prop: string, claim: string): string {
  if (!/^[A-Za-z0-9_.:-]+$/.test(claim)) fail(scope, `${prop}: claim ${show(claim)} is not a plain claim name (nested claims are not supported).`);
  return claim;
}

function typeUrl(filter: string, message: string): string {
  return `type.googleapis.com/envoy.extensions.filters.http.${filter}.v3.${message}`;
}
