import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressPassthroughHost } from './ingress-passthrough-host';
import { MeshService } from './mesh-service';
import { strip, underMatch } from './route-composition';
import { ServiceReference } from './service-reference';
import { admitRoutesFrom, gatewayApiRule } from './traffic/gateway-api-routes';
import { gatewayVia } from './traffic/gateway-via';
import { checkArguments } from '../core/arguments';
import { describe, fail, show } from '../core/errors';
import { ExpectedRequest, Expectation, promise, samplePath } from '../core/expectations';
import { checkDns1123Subdomain, hostSlug } from '../core/names';
import { checkPort } from '../core/percent';
import { StringMatch, StringMatchKind } from '../core/string-match';
import { TrafficApi } from '../core/traffic-api';
import { WorkloadSelector } from '../core/workload-selector';
import { AuthorizationAction, AuthorizationPolicy } from '../resources/authorization-policy';
import { Gateway, GatewayServer, ServerTlsMode } from '../resources/gateway';
import { GatewayApiGateway, ListenerProtocol } from '../resources/gateway-api/gateway-api-gateway';
import { GatewayApiHttpRoute, HttpRouteFilter } from '../resources/gateway-api/gateway-api-http-route';
import { ReferenceGrant } from '../resources/gateway-api/reference-grant';
import { GatewayReference } from '../resources/gateway-reference';
import { IGatewayWorkload } from '../resources/gateway-workload-reference';
import { HttpRetry } from '../resources/http-route';
import { JwtRule } from '../resources/jwt-rule';
import { PortProtocol } from '../resources/port';
import { renderJwtRule } from '../resources/rendering/jwt-rule';
import { renderHttpRoute } from '../resources/rendering/routes';
import { RequestAuthentication } from '../resources/request-authentication';
import { VirtualService } from '../resources/virtual-service';

/** How one ingress host is served. */
export interface IngressHostOptions {
  /** TLS Secret (in the gateway's namespace) for this host. @default - required unless httpOnly */
  readonly credentialName?: string;
  /** Require client certificates (mutual TLS); the Secret must hold `ca.crt`. @default false */
  readonly mutualTls?: boolean;
  /** Serve plain HTTP only, without TLS and redirect. Explicit opt-out of HTTPS. @default false */
  readonly httpOnly?: boolean;
  /** The gateway port HTTPS is served on. @default 443 */
  readonly httpsPort?: number;
  /** The gateway port plain HTTP (or the redirect to HTTPS) is served on. @default 80 */
  readonly httpPort?: number;
  /**
   * Require a valid JWT for every request to this host, checked at the gateway (a
   * RequestAuthentication and a DENY policy for this host on the gateway pods). The token is
   * forwarded unless an issuer says `forwardOriginalToken: false`. The RequestAuthentication
   * applies to the gateway pods: an invalid token of these issuers is refused (401) on any of
   * their hosts. Not for wildcard hosts. For browsers, read the token from a cookie
   * (`locations: [JwtLocation.cookie(...)]`, e.g. set by an OAuth2 proxy).
   * @default - no token needed
   */
  readonly jwt?: IngressJwtOptions;
}

/** The tokens an ingress host requires. */
export interface IngressJwtOptions {
  /** Accepted issuers, each with its keys (jwksUri or jwks). */
  readonly issuers: JwtRule[];
  /** Claims every request must carry, claim name → accepted values (one of them). @default - any valid token */
  readonly requiredClaims?: { [claim: string]: string[] };
}

/** One route from a path of an ingress host to a service. */
export interface IngressRouteOptions {
  /** The service requests go to; its CanaryRelease, faults and timeouts apply to them too. */
  readonly service: ServiceReference;
  /** The paths routed: `StringMatch.prefix('/api')`, `StringMatch.exact('/login')` or a regex. @default StringMatch.prefix('/') */
  readonly path?: StringMatch;
  /** Rewrite the matched prefix. @default - unchanged */
  readonly rewritePrefix?: string;
  /** Request timeout (not when the service has one from another intent). @default - the service's, else none */
  readonly timeout?: Duration;
  /** Retries (not when the service has them from another intent). @default - the service's, else Istio's default */
  readonly retries?: HttpRetry;
}

interface Route {
  readonly options: IngressRouteOptions;
  readonly path: StringMatch;
  readonly model: MeshService;
  /** Its rules as rendered, updated when the service's routing changes. */
  rendered: any[];
  /** Its rules in Gateway API form (Gateway API only). */
  gatewayRules: any[];
}

/** @internal */
export interface IngressHostProps {
  readonly host: string;
  readonly options: IngressHostOptions;
  /** The Istio Gateway (Istio's classic API) ... */
  readonly gateway?: Gateway;
  /** ... or the Gateway API Gateway. */
  readonly gatewayApiGateway?: GatewayApiGateway;
  readonly workload: IGatewayWorkload;
  readonly httpsRedirect: boolean;
}

/**
 * A host served by a `MeshIngress` (returned by `addHost()`): its Gateway
 * servers, and one VirtualService bound to the Gateway with the host's routes
 * in the order they are added. A route shadowed by an earlier, broader one is an error.
 *
 * @example
 * declare const ingress: MeshIngress;
 * declare const api: kplus.Service;
 *
 * const host = ingress.addHost('shop.example.com', { credentialName: 'shop-cert' });
 * host.addRoute({ path: StringMatch.prefix('/api'), service: ServiceReference.fromService(api) });
 */
export class IngressHost extends Construct {
  /** The fragment a host's object and server names use. @internal */
  public static _slug(host: string): string {
    return slug(host);
  }

  /** @internal */
  public static _create(scope: Construct, props: IngressHostProps): IngressHost {
    return new IngressHost(scope, `Host-${slug(props.host)}`, props);
  }

  /** The host served, e.g. `'shop.example.com'` or `'*'`. */
  public readonly host: string;
  /** The gateway pods serving it. */
  public readonly gatewayWorkload: IGatewayWorkload;
  /** The gateway Service port its routes are served on: HTTPS, or HTTP when `httpOnly`. */
  public readonly port: number;
  /** Whether its routes are served over TLS (not `httpOnly`). */
  public readonly tls: boolean;
  private readonly gateway?: Gateway;
  private readonly gatewayApiGateway?: GatewayApiGateway;
  private _virtualService?: VirtualService;
  private _httpRoute?: GatewayApiHttpRoute;
  private readonly api: TrafficApi;
  private readonly grants = new Set<string>();
  private readonly routes: Route[] = [];
  private readonly routesTo = new Map<MeshService, Route[]>();
  private readonly prefixes = new Set<string>();
  private readonly exacts = new Set<string>();
  private _jwt?: IngressJwtOptions;
  private _jwtPolicy?: AuthorizationPolicy;

  private constructor(scope: Construct, id: string, props: IngressHostProps) {
    super(scope, id);
    const { host, options, workload } = props;
    this.host = host;
    this.gateway = props.gateway;
    this.gatewayApiGateway = props.gatewayApiGateway;
    this.api = TrafficApi.of(this);
    if (!options.httpOnly && !options.credentialName) {
      fail(this, `host ${show(host)} has TLS but no credential: set credentialName to a TLS Secret in namespace ${show(workload.namespace ?? '<chart namespace>')} or httpOnly: true to serve plain HTTP.`);
    }
    if (options.credentialName !== undefined) checkDns1123Subdomain(this, `credentialName of host ${show(host)} (a Secret name)`, options.credentialName);
    if (options.httpOnly && (options.credentialName || options.mutualTls || options.httpsPort !== undefined)) {
      fail(this, `host ${show(host)} is httpOnly but also sets credentialName, mutualTls or httpsPort; choose one.`);
    }
    const httpsPort = checkPort(this, 'httpsPort', options.httpsPort) ?? 443;
    const httpPort = checkPort(this, 'httpPort', options.httpPort) ?? 80;
    if (!options.httpOnly && props.httpsRedirect && httpsPort === httpPort) fail(this, `httpsPort and httpPort are both ${httpPort}; HTTPS and the redirect need a port each.`);
    const listenPorts = options.httpOnly ? [httpPort] : props.httpsRedirect ? [httpsPort, httpPort] : [httpsPort];
    const missing = listenPorts.filter(p => !workload.hasServicePort(p));
    if (missing.length) {
      fail(this, `gateway '${workload.name}' exposes no Service port ${missing.join('/')}, which this Gateway listens on (IST0162). Add the port to the gateway.`);
    }
    const name = slug(host);
    if (this.gatewayApiGateway) {
      this.addListeners(this.gatewayApiGateway, options, name, httpsPort, httpPort, props.httpsRedirect);
    } else {
      const http = (extra: Partial<GatewayServer>): GatewayServer => ({ name: `http-${name}`, port: { number: httpPort, protocol: PortProtocol.HTTP, name: `http-${name}` }, hosts: [host], ...extra });
      const servers: GatewayServer[] = options.httpOnly ? [http({})] : [
        {
          name: `https-${name}`,
          port: { number: httpsPort, protocol: PortProtocol.HTTPS, name: `https-${name}` },
          hosts: [host],
          tls: { mode: options.mutualTls ? ServerTlsMode.MUTUAL : ServerTlsMode.SIMPLE, credentialName: options.credentialName },
        },
        ...(props.httpsRedirect ? [http({ tls: { httpsRedirect: true } })] : []),
      ];
      // Hosts with the same certificate share one server (see Gateway._joinServer).
      servers.forEach(s => this.gateway!._joinServer(s) || this.gateway!.addServer(s));
    }
    const redirectPort = !options.httpOnly && props.httpsRedirect ? httpPort : undefined;
    this.gatewayWorkload = workload;
    this.port = options.httpOnly ? httpPort : httpsPort;
    this.tls = !options.httpOnly;
    if (options.jwt) this.requireJwt(options.jwt, workload, options.httpOnly ? httpPort : httpsPort);
    promise(this, () => this.promises(props, options.httpOnly ? undefined : httpsPort, redirectPort, httpPort));
    this.node.addValidation({ validate: () => this.routes.length === 0 ? [`host ${show(host)} has no routes; call addRoute() on the handle addHost() returned.`] : [] });
  }

  /**
   * Gateway API form: a listener per port for this host (HTTPS with its certificate, or
   * HTTP), and an HTTPRoute on the HTTP listener that redirects to HTTPS.
   */
  private addListeners(gw: GatewayApiGateway, options: IngressHostOptions, name: string,
    httpsPort: number, httpPort: number, redirect: boolean): void {
    if (options.mutualTls) this.api._require(this, 'mutualTls (client certificates) on an ingress host', 'none', 'Render this ingress with Istio\'s classic API.');
    // Routes live in this chart's namespace; a Gateway elsewhere lets them attach by that namespace only.
    const routeNs = Chart.of(this).namespace ?? 'default';
    const gwNs = gw.namespace ?? 'default';
    const allowed = admitRoutesFrom(routeNs, gwNs);
    // '*' serves every host: Gateway API says so by naming none.
    const hostname = this.host === '*' ? undefined : this.host;
    if (options.httpOnly) {
      gw.addListener({ name: `http-${name}`, port: httpPort, protocol: ListenerProtocol.HTTP, hostname, ...allowed });
      return;
    }
    gw.addListener({
      name: `https-${name}`,
      port: httpsPort,
      protocol: ListenerProtocol.HTTPS,
      hostname,
      tls: { certificateRefs: [{ name: options.credentialName! }] },
      ...allowed,
    });
    if (!redirect) return;
    gw.addListener({ name: `http-${name}`, port: httpPort, protocol: ListenerProtocol.HTTP, hostname, ...allowed });
    new GatewayApiHttpRoute(this, 'RedirectRoute', {
      metadata: { name: `${gw.name}-${name}-redirect`.slice(0, 253) },
      parentRefs: [{ name: gw.name, namespace: gwNs !== routeNs ? gwNs : undefined, sectionName: `http-${name}` }],
      hostnames: hostname ? [hostname] : undefined,
      rules: [{ filters: [HttpRouteFilter.requestRedirect({ scheme: 'https', statusCode: 301, port: httpsPort === 443 ? undefined : httpsPort })] }],
    });
  }

  /**
   * Validates tokens on the gateway pods and DENYs requests to this host without a
   * valid one (or without a required claim). The policy names the host, so other
   * hosts of the gateway are untouched; a DENY, so no ALLOW elsewhere can undo it.
   */
  private requireJwt(jwt: IngressJwtOptions, workload: IGatewayWorkload, servicePort: number): void {
    if (this.host.includes('*')) {
      // A policy's `*.example.com` does not match 'x.example.com:443' (gateways ignore the port when
      // routing, policies do not), and '*' would cover every other host of the gateway.
      fail(this, `jwt on the wildcard host ${show(this.host)}: an authorization policy cannot scope it safely to this host. Add the hosts by name to require a token.`);
    }
    if (jwt.issuers.length === 0) fail(this, `jwt.issuers of host ${show(this.host)} is empty; list at least one issuer with its keys.`);
    jwt.issuers.forEach((issuer, i) => renderJwtRule(this, `jwt.issuers[${i}]`, issuer));
    const claims = Object.entries(jwt.requiredClaims ?? {});
    for (const [claim, values] of claims) {
      if (values.length === 0) fail(this, `jwt.requiredClaims.${claim} of host ${show(this.host)} is empty; list the accepted values.`);
    }
    const selector = WorkloadSelector.fromLabels(workload.podLabels);
    const metadata = { name: `jwt-${slug(this.host)}`, namespace: workload.namespace };
    // The gateway validates tokens for every host it serves: a token stripped here would not reach a
    // JwtProtectedService behind it, so tokens are forwarded unless the user decided otherwise.
    const jwtRules = jwt.issuers.map(i => ({ ...i, forwardOriginalToken: i.forwardOriginalToken ?? true }));
    new RequestAuthentication(this, 'RequestAuthentication', { metadata, selector, jwtRules });
    // Scoped to the port this host is served on (as the pods see it): an HTTP-only DENY would
    // otherwise refuse every TCP connection to the gateway, and the HTTP port must still redirect.
    const ports = workload.podPortsFor(servicePort);
    const hosts = [{ hosts: [this.host, `${this.host}:*`], ports }];
    const policy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      metadata,
      selector,
      action: AuthorizationAction.DENY,
      rules: [
        { sources: [{ notRequestPrincipals: jwt.issuers.map(i => `${i.issuer}/*`) }], operations: hosts },
        ...claims.map(([claim, values]) => ({ operations: hosts, conditions: [{ key: `request.auth.claims[${claim}]`, notValues: values }] })),
      ],
    });
    // On a TCP filter chain (TLS passed through on the same port) Istio drops the HTTP fields from a
    // DENY rule, leaving the port: it would close every passthrough connection. Their SNIs are exempt.
    policy._generateNotValuesCondition('connection.sni', () => IngressPassthroughHost._hostsOn(this, workload, servicePort));
    // That exemption must not reach this host: a passthrough wildcard covering it would exempt its SNI too.
    this.node.addValidation({
      validate: () => IngressPassthroughHost._hostsOn(this, workload, servicePort).filter(p => sniCovers(p, this.host))
        .map(p => `IngressHost '${this.node.path}': host ${show(this.host)} requires a JWT, but the passthrough host ${show(p)} on the same gateway port covers its name; `
          + 'the token policy exempts passed-through SNIs, so this host would need no token. Pass that TLS through on another port, or name its hosts exactly.'),
    });
    this._jwtPolicy = policy;
    this._jwt = jwt;
  }

  /**
   * Sent from outside to the gateway's Service: plain HTTP is redirected to
   * HTTPS (with the redirect), and each route's path reaches its service. A
   * gateway outside the app is played by the harness as Istio's gateway chart
   * installs it (ports 80 and 443), so only those ports are promised for it.
   */
  private promises(props: IngressHostProps, httpsPort: number | undefined, redirectPort: number | undefined, httpPort: number): Expectation[] {
    const via = gatewayVia(props.workload, [httpsPort, redirectPort, httpPort]);
    if (!via) return [];
    const host = this.host === '*' ? 'any-host.example.com' : this.host.replace(/^\*\./, 'semantics.');
    const out: Expectation[] = [];
    // With a JWT required, routes are promised for a valid token (the harness signs for a jwksUri it serves).
    let token: ExpectedRequest['token'];
    const policy = this._jwtPolicy?.name;
    if (this._jwt) {
      const issuer = this._jwt.issuers.find(i => i.jwksUri && !i.locations?.length);
      if (issuer) {
        const claims = Object.fromEntries(Object.entries(this._jwt.requiredClaims ?? {}).map(([claim, values]) => [claim, values[0]]));
        token = { claims: { iss: issuer.issuer, sub: 'semantics-user', ...(issuer.audiences?.length ? { aud: issuer.audiences[0] } : {}), ...claims } };
      }
      const scheme = httpsPort !== undefined ? 'https' : 'http';
      out.push({
        promise: `${scheme}://${host}/ without a token is refused at the gateway by ${policy}`,
        request: { via, scheme, host, port: httpsPort ?? httpPort, path: '/semantics' },
        expect: { status: 403, policies: { [policy!]: 'denies' } },
      });
    }
    if (redirectPort !== undefined) {
      out.push({ promise: `http://${host}/ is redirected to https`, request: { via, scheme: 'http', host, port: redirectPort, path: '/semantics' }, expect: { status: 301, redirect: `https://${host}/semantics` } });
    }
    for (const route of this.routes) {
      const path = samplePath(route.path);
      if (path === undefined) continue;
      const scheme = httpsPort !== undefined ? 'https' : 'http';
      if (this._jwt && !token) continue;
      out.push({
        promise: `${scheme}://${host}${path}${token ? ' with a valid token' : ''} is routed to ${route.model.host} and arrives at its pods`,
        request: { via, scheme, host, port: httpsPort ?? httpPort, path, token },
        // With Gateway API a version of a split host is a Service of its own: the host is then the version's.
        expect: { host: route.model._defaultDestinationHost, delivered: true },
      });
    }
    return out;
  }

  /** The VirtualService with this host's routes, once one is added. */
  public get virtualService(): VirtualService | undefined {
    return this._virtualService;
  }

  /** Routes a path of this host to a service (after the routes added before it). */
  public addRoute(options: IngressRouteOptions): void {
    checkArguments(this, 'IngressHost', 'addRoute', arguments);
    const path = options.path ?? StringMatch.prefix('/');
    if (path.kind !== StringMatchKind.REGEX && !path.value.startsWith('/')) fail(this, `path must start with '/', got ${show(path.value)}.`);
    if (options.rewritePrefix !== undefined && !options.rewritePrefix.startsWith('/')) {
      fail(this, `rewritePrefix must start with '/', got ${show(options.rewritePrefix)}.`);
    }
    const shadowing = this.shadowedBy(path);
    if (shadowing) {
      fail(this, `route ${path.kind} ${show(path.value)} on ${show(this.host)} is shadowed by the earlier route ${shadowing} and would never match. Add the more specific route first.`);
    }
    renderHttpRoute(this, 'route', {
      match: [{ uri: path }],
      route: [{ destination: { host: 'checked.invalid' } }],
      timeout: options.timeout,
      retries: options.retries,
      rewrite: options.rewritePrefix !== undefined ? { uri: options.rewritePrefix } : undefined,
    });
    const model = MeshService.of(this, options.service);
    const route: Route = { options, path, model, rendered: [], gatewayRules: [] };
    if (this.gatewayApiGateway) this.httpRouteForRoutes(); else this.virtualServiceForRoutes();
    this.render(route);
    this.routes.push(route);
    if (path.kind === StringMatchKind.PREFIX) this.prefixes.add(path.value);
    if (path.kind === StringMatchKind.EXACT) this.exacts.add(path.value);
    const targeting = this.routesTo.get(model);
    if (targeting) {
      targeting.push(route);
    } else {
      this.routesTo.set(model, [route]);
      model._onChange(() => this.routesTo.get(model)!.forEach(r => this.render(r)));
    }
  }

  /** One route's gateway rules: its path AND-ed into the routes of the service it targets. */
  private render(route: Route): void {
    const { options, path, model } = route;
    const vs = this._virtualService;
    // Subsets exist before routes use them (output contract). Within one chart only: across charts the
    // dependency would order the charts, and could cycle with the order the user gives them.
    const rule = model.destinationRule;
    if (vs && rule && Chart.of(rule) === Chart.of(vs) && !vs.node.dependencies.includes(rule)) vs.addDependency(rule);
    const conflict = options.timeout && model._timeoutOwner ? ['a timeout', model._timeoutOwner] : options.retries && model._retriesOwner ? ['retries', model._retriesOwner] : undefined;
    if (conflict) {
      fail(this, `the route ${path.kind} ${show(path.value)} sets ${conflict[0]}, and so does ${describe(conflict[1] as Construct)} for ${show(model.host)}. Set it in one place.`);
    }
    const hostRoutes = model._routes ? model._httpRoutes(true) : [{ route: [{ destination: { host: model.host, port: model._port } }] }];
    // Named after the service too: two services' `primary` routes stay apart in logs and stats.
    const service = model.host.split('.')[0];
    const routes = underMatch(hostRoutes, { uri: path }, this, x => model._ownerOf(x)).map(r => strip({
      ...r,
      name: r.name && !r.name.startsWith(`${service}-`) ? `${service}-${r.name}` : r.name,
      rewrite: options.rewritePrefix !== undefined ? { uri: options.rewritePrefix } : r.rewrite,
      timeout: options.timeout ?? r.timeout,
      retries: options.retries ?? r.retries,
    }));
    if (!this._httpRoute) {
      route.rendered = routes.map(r => renderHttpRoute(this, `route ${path.kind} ${show(path.value)}`, r));
      return;
    }
    const httpRoute = this._httpRoute;
    route.gatewayRules = routes.map(r => {
      const owner = model._ownerOf(r) ?? this;
      const converted = gatewayApiRule(owner, this.api, r, d => model._backendOf(owner, d), Chart.of(this).namespace);
      converted.backendRefs?.forEach(b => this.grant(b.namespace));
      return GatewayApiHttpRoute._renderRule(httpRoute, `rules (route ${path.kind} ${show(path.value)})`, converted);
    });
  }

  /** A route in this chart's namespace sending to a Service in another needs that namespace's ReferenceGrant. */
  private grant(backendNamespace: string | undefined): void {
    const routeNs = Chart.of(this).namespace ?? 'default';
    if (backendNamespace === undefined || backendNamespace === routeNs || this.grants.has(backendNamespace)) return;
    this.grants.add(backendNamespace);
    new ReferenceGrant(this, `ReferenceGrant-${backendNamespace}`, {
      metadata: { name: `${slug(this.host)}-from-${routeNs}`.slice(0, 253), namespace: backendNamespace },
      referrers: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: routeNs }],
      targets: [{ group: '', kind: 'Service' }],
    });
  }

  /** Gateway API form: the host's HTTPRoute, attached to its HTTPS (or HTTP) listener. */
  private httpRouteForRoutes(): GatewayApiHttpRoute {
    if (!this._httpRoute) {
      const gw = this.gatewayApiGateway!;
      const routeNs = Chart.of(this).namespace ?? 'default';
      const gwNs = gw.namespace ?? 'default';
      TrafficApi._markRendered(this);
      this._httpRoute = new GatewayApiHttpRoute(this, 'HTTPRoute', {
        metadata: { name: `${gw.name}-${slug(this.host)}`.slice(0, 253) },
        parentRefs: [{ name: gw.name, namespace: gwNs !== routeNs ? gwNs : undefined, sectionName: `${this.tls ? 'https' : 'http'}-${slug(this.host)}` }],
        hostnames: this.host === '*' ? undefined : [this.host],
      });
      this._httpRoute._generateRules(() => this.routes.flatMap(r => r.gatewayRules));
    }
    return this._httpRoute;
  }

  /** The host's HTTPRoute (Gateway API), once a route is added. */
  public get httpRoute(): GatewayApiHttpRoute | undefined {
    return this._httpRoute;
  }

  private virtualServiceForRoutes(): VirtualService {
    if (!this._virtualService) {
      const gateway = this.gateway!;
      TrafficApi._markRendered(this);
      this._virtualService = new VirtualService(this, 'VirtualService', {
        metadata: { name: `${gateway.name}-${slug(this.host)}`.slice(0, 253) },
        hosts: [this.host],
        gateways: [GatewayReference.fromGateway(gateway)],
      });
      this._virtualService.addDependency(gateway);
      this._virtualService._generateHttpRoutes(() => this.routes.flatMap(r => r.rendered));
    }
    return this._virtualService;
  }

  /** The earlier route that matches every request `path` would (an earlier prefix of it, or the same exact path). */
  private shadowedBy(path: StringMatch): string | undefined {
    if (path.kind === StringMatchKind.REGEX) return undefined;
    for (let end = 1; end <= path.value.length; end++) {
      const earlier = path.value.slice(0, end);
      if (this.prefixes.has(earlier)) return `prefix ${show(earlier)}`;
    }
    return path.kind === StringMatchKind.EXACT && this.exacts.has(path.value) ? `exact ${show(path.value)}` : undefined;
  }
}

/** A host as a DNS label fragment: `*` is `any-host`, `*.example.com` is `wildcard-example-com`. */
function slug(host: string): string {
  if (host === '*') return 'any-host';
  return hostSlug(host.replace(/^\*\./, 'wildcard.'));
}

/** Whether an SNI pattern (exact, or `*.` + suffix, as Istio matches `connection.sni`) covers `host`. */
function sniCovers(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  return p === h || (p.startsWith('*.') && h.endsWith(p.slice(1)));
}
