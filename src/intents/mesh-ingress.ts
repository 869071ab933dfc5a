import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CanaryRelease } from './canary-release';
import { resolveService } from './service-target';
import { checkArguments, checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { checkDns1123Subdomain, checkHost, checkLabels } from '../core/names';
import { StringMatch } from '../core/string-match';
import { GatewayWorkload } from '../install/gateway-workload';
import { Gateway, GatewayServer, ServerTlsMode } from '../resources/gateway';
import { GatewayReference } from '../resources/gateway-reference';
import { PortProtocol } from '../resources/port';
import { HttpRetry, HttpRoute } from '../resources/routing';
import { VirtualService } from '../resources/virtual-service';

/** TLS of one ingress host. */
export interface IngressHostOptions {
  /** TLS Secret (in the gateway's namespace) for this host. @default - required unless httpOnly */
  readonly credentialName?: string;
  /** Require client certificates (mutual TLS); the Secret must hold `ca.crt`. @default false */
  readonly mutualTls?: boolean;
  /** Serve plain HTTP only, without TLS and redirect. Explicit opt-out of HTTPS. @default false */
  readonly httpOnly?: boolean;
}

/** One route from a host/path to a service. */
export interface IngressRouteOptions {
  /** Host the route belongs to (added with addHost). */
  readonly host: string;
  /** Path prefix. @default '/' */
  readonly pathPrefix?: string;
  /** Exact path instead of a prefix. @default - use pathPrefix */
  readonly exactPath?: string;
  /** Target Service. @default - use serviceHost or canary */
  readonly service?: kplus.Service;
  /** Target host (FQDN) when there is no cdk8s-plus Service. @default - use service or canary */
  readonly serviceHost?: string;
  /** Target port; required for multi-port services. @default - the only port */
  readonly port?: number;
  /** Send the traffic through a CanaryRelease's split (same subsets and weights). @default - no canary */
  readonly canary?: CanaryRelease;
  /** Rewrite the matched prefix. @default - unchanged */
  readonly rewritePrefix?: string;
  /** Request timeout. @default - none */
  readonly timeout?: Duration;
  /** Retries. @default - Istio default */
  readonly retries?: HttpRetry;
}

/** Props of a `MeshIngress`. */
export interface MeshIngressProps {
  /** The ingress gateway to use (its namespace and labels are derived). @default - use gatewaySelector */
  readonly gateway?: GatewayWorkload;
  /** Labels of gateway pods not defined in this app. @default - use gateway */
  readonly gatewaySelector?: { [key: string]: string };
  /** Namespace of those gateway pods (where TLS Secrets live). @default - the chart namespace */
  readonly gatewayNamespace?: string;
  /** Redirect HTTP to HTTPS for TLS hosts. Turn off only if something else redirects. @default true */
  readonly httpsRedirect?: boolean;
  /** Name of the Gateway object. @default - derived from the construct id */
  readonly name?: string;
}

interface HostState {
  /** Paths routed so far, for the shadowing check (a lookup per path prefix, not a scan of every route). */
  readonly prefixes: Set<string>;
  readonly exacts: Set<string>;
}

/**
 * Exposes services through an ingress gateway: one Gateway with an HTTPS
 * server per host (credentialName), an HTTP server redirecting to HTTPS, and
 * a VirtualService per host with its routes.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 */
export class MeshIngress extends Construct {
  /** The Gateway resource. */
  public readonly gateway: Gateway;
  private readonly hosts = new Map<string, HostState>();
  private readonly gatewayNamespace?: string;
  private readonly httpsRedirect: boolean;
  private readonly workload?: GatewayWorkload;

  constructor(scope: Construct, id: string, props: MeshIngressProps) {
    super(scope, id);
    checkProps(this, 'MeshIngress', props);
    reportChildErrorsAsOwn(this);
    if (!!props.gateway === !!props.gatewaySelector) {
      fail(this, 'set exactly one of gateway (an IngressGateway of this app) or gatewaySelector (labels of gateway pods).');
    }
    if (props.gatewaySelector) checkLabels(this, 'gatewaySelector', props.gatewaySelector);
    this.workload = props.gateway;
    this.gatewayNamespace = props.gateway?.namespace ?? props.gatewayNamespace;
    this.httpsRedirect = props.httpsRedirect ?? true;
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: props.name ?? this.node.id.toLowerCase(), namespace: this.gatewayNamespace },
      selector: props.gateway?.podLabels ?? props.gatewaySelector!,
    });
    this.node.addValidation({ validate: () => this.hosts.size === 0 ? [`${this.node.path}: MeshIngress has no hosts; call addHost().`] : [] });
  }

  /** Serves a host (HTTPS with `credentialName`, or `httpOnly`). Returns the host. */
  public addHost(host: string, options: IngressHostOptions = {}): string {
    checkArguments(this, 'MeshIngress', 'addHost', arguments);
    checkHost(this, 'host', host);
    if (this.hosts.has(host)) fail(this, `host ${show(host)} is already added.`);
    if (!options.httpOnly && !options.credentialName) {
      fail(this, `host ${show(host)} has TLS but no credential: set credentialName to a TLS Secret in namespace ${show(this.gatewayNamespace ?? '<chart namespace>')} or httpOnly: true to serve plain HTTP.`);
    }
    if (options.credentialName !== undefined) checkDns1123Subdomain(this, `credentialName of host ${show(host)} (a Secret name)`, options.credentialName);
    if (options.httpOnly && (options.credentialName || options.mutualTls)) {
      fail(this, `host ${show(host)} is httpOnly but also sets credentialName/mutualTls; choose one.`);
    }
    const listenPorts = options.httpOnly ? [80] : this.httpsRedirect ? [443, 80] : [443];
    const missing = listenPorts.filter(p => this.workload && !this.workload.hasServicePort(p));
    if (missing.length) {
      fail(this, `gateway '${this.workload!.name}' exposes no Service port ${missing.join('/')}, which this Gateway listens on (IST0162). Add the port to the gateway.`);
    }
    this.hosts.set(host, { prefixes: new Set(), exacts: new Set() });
    const servers: GatewayServer[] = options.httpOnly
      ? [{ name: `http-${slug(host)}`, port: { number: 80, protocol: PortProtocol.HTTP, name: `http-${slug(host)}` }, hosts: [host] }]
      : [
        {
          name: `https-${slug(host)}`,
          port: { number: 443, protocol: PortProtocol.HTTPS, name: `https-${slug(host)}` },
          hosts: [host],
          tls: { mode: options.mutualTls ? ServerTlsMode.MUTUAL : ServerTlsMode.SIMPLE, credentialName: options.credentialName },
        },
        ...(this.httpsRedirect ? [{ name: `http-${slug(host)}`, port: { number: 80, protocol: PortProtocol.HTTP, name: `http-${slug(host)}` }, hosts: [host], tls: { httpsRedirect: true } }] : []),
      ];
    servers.forEach(s => this.gateway.addServer(s));
    return host;
  }

  /** Adds a route; a route shadowed by an earlier, broader one is an error. Returns the rendered route. */
  public addRoute(options: IngressRouteOptions): HttpRoute {
    checkArguments(this, 'MeshIngress', 'addRoute', arguments);
    const state = this.hosts.get(options.host);
    if (!state) fail(this, `route host ${show(options.host)} is not served; call addHost(${show(options.host)}, …) first.`);
    if (options.exactPath !== undefined && options.pathPrefix !== undefined) fail(this, 'set pathPrefix or exactPath, not both.');
    const kind: 'prefix' | 'exact' = options.exactPath !== undefined ? 'exact' : 'prefix';
    const path = options.exactPath ?? options.pathPrefix ?? '/';
    if (!path.startsWith('/')) fail(this, `path must start with '/', got ${show(path)}.`);
    const shadowing = shadowedBy(state, kind, path);
    if (shadowing) {
      fail(this, `route ${kind} ${show(path)} on ${show(options.host)} is shadowed by the earlier route ${shadowing} and would never match. Add the more specific route first.`);
    }
    const targets = [options.service, options.serviceHost, options.canary].filter(t => t !== undefined).length;
    if (targets !== 1) fail(this, `route ${show(path)} needs exactly one target: service, serviceHost or canary.`);
    const match = [{ uri: kind === 'exact' ? StringMatch.exact(path) : StringMatch.prefix(path) }];
    const rewrite = options.rewritePrefix ? { uri: options.rewritePrefix } : undefined;
    const common = { timeout: options.timeout, retries: options.retries, rewrite };
    let routes: HttpRoute[];
    if (options.canary) {
      // The canary's own matches (A/B, sticky) are combined with the path, so gateway traffic splits like mesh traffic.
      routes = options.canary.httpRoutes().map(r => ({ ...r, ...stripUndefined(common), match: combine(match, r) }));
    } else {
      const target = resolveService(this, options.service, options.serviceHost, options.port);
      routes = [{ match, route: [{ destination: { host: target.host, port: target.port } }], ...common }];
    }
    (kind === 'prefix' ? state.prefixes : state.exacts).add(path);
    const vs = this.virtualServiceFor(options.host);
    routes.forEach(r => vs.addHttpRoute(r));
    return routes[routes.length - 1];
  }

  private virtualServiceFor(host: string): VirtualService {
    const id = `VirtualService-${slug(host)}`;
    const existing = this.node.tryFindChild(id) as VirtualService | undefined;
    if (existing) return existing;
    const vs = new VirtualService(this, id, {
      metadata: { name: `${this.gateway.name}-${slug(host)}`.slice(0, 253) },
      hosts: [host],
      gateways: [GatewayReference.fromGateway(this.gateway)],
    });
    vs.addDependency(this.gateway);
    return vs;
  }
}

/** The earlier route that matches every request `path` would (an earlier prefix of it, or the same exact path). */
function shadowedBy(state: HostState, kind: 'prefix' | 'exact', path: string): string | undefined {
  for (let end = 1; end <= path.length; end++) {
    const earlier = path.slice(0, end);
    if (state.prefixes.has(earlier)) return `prefix ${show(earlier)}`;
  }
  return kind === 'exact' && state.exacts.has(path) ? `exact ${show(path)}` : undefined;
}

function slug(host: string): string {
  return host.replace(/^\*\./, 'wildcard.').replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function combine(pathMatch: Array<{ uri: StringMatch }>, route: HttpRoute): any[] {
  if (!route.match?.length) return pathMatch;
  return route.match.map(m => ({ ...m, uri: pathMatch[0].uri }));
}
