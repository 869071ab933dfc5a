import { ApiObject, Chart, Duration, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { BaseRoute, composeRoutes, FaultRule, Owned, routeName } from './route-composition';
import { ResolvedService, ServiceReference } from './service-reference';
import { waypointLabels } from './traffic/ambient';
import { gatewayApiRule, grpcRuleOf, serviceOfHost } from './traffic/gateway-api-routes';
import { Waypoint } from './waypoint';
import { checkArguments, checkProps } from '../core/arguments';
import { DataPlane, DataPlaneMode } from '../core/data-plane';
import { describe, fail, show } from '../core/errors';
import { ExpectedRequest } from '../core/expectations';
import { hostSlug } from '../core/names';
import { TrafficApi } from '../core/traffic-api';
import { DestinationRule } from '../resources/destination-rule';
import { GatewayApiGrpcRoute } from '../resources/gateway-api/gateway-api-grpc-route';
import { GatewayApiHttpRoute } from '../resources/gateway-api/gateway-api-http-route';
import { BackendReference, ParentReference } from '../resources/gateway-api/references';
import { HttpRetry, HttpRoute, RouteDestination } from '../resources/http-route';
import { renderHttpRoute } from '../resources/rendering/routes';
import { TrafficPolicy } from '../resources/traffic-policy';
import { VirtualService } from '../resources/virtual-service';

const REGISTRY = Symbol.for('cdk8s-istio.MeshService.registry');

/** Props of a `MeshService`. */
export interface MeshServiceProps {
  /** The service whose traffic this models. */
  readonly service: ServiceReference;
  /**
   * An existing DestinationRule for the host (e.g. Bookinfo's `destination-rule-all`)
   * to adopt: intents add their subsets and policies to it instead of emitting a second one.
   * @default - one is created when an intent needs it
   */
  readonly destinationRule?: DestinationRule;
}

/**
 * The one owner of a host's traffic. `CanaryRelease`, `ServiceResilience`,
 * `FaultInjection` and `MeshIngress` routes contribute to it; it renders exactly
 * one DestinationRule (subsets, traffic policy) and one mesh VirtualService for
 * the host, so intents on one service compose instead of replacing each other.
 * Contributions that contradict each other (two canaries, two timeouts, two
 * connection pools) fail synth naming both constructs.
 *
 * Intents find or create it with `MeshService.of()`; create it yourself only to
 * adopt an existing DestinationRule.
 *
 * @example
 * declare const chart: Chart;
 * declare const reviews: kplus.Service;
 * declare const destinationRuleAll: DestinationRule; // an existing rule for the host
 *
 * // Keep an existing DestinationRule: intents on the host add their subsets to it.
 * new MeshService(chart, 'reviews', { service: ServiceReference.fromService(reviews), destinationRule: destinationRuleAll });
 */
export class MeshService extends Construct {
  /** The model of a host, if an intent made one. @internal */
  public static _find(scope: IConstruct, host: string): MeshService | undefined {
    return registry(scope).get(host);
  }

  /** The model of `service`'s host in this app, created on first use (in the Service's chart, else in `scope`'s). */
  public static of(scope: IConstruct, service: ServiceReference): MeshService {
    checkArguments(undefined, 'MeshService', 'of', arguments);
    const resolved = service._resolve(scope);
    const existing = registry(scope).get(resolved.host);
    if (existing) {
      existing.usePort(scope, resolved);
      return existing;
    }
    // Beside the Service when it is ours, so the host's objects land in its chart whatever names it first.
    return new MeshService(Chart.of(resolved.service ?? scope), `MeshService-${resolved.host}`, { service });
  }

  /** The service FQDN. */
  public readonly host: string;
  /** The namespace the host's DestinationRule and VirtualService live in (the Service's). */
  public readonly namespace?: string;
  private port?: Owned<number>;
  private _destinationRule?: DestinationRule;
  private adopted = false;
  private _virtualService?: VirtualService;
  private readonly subsets = new Map<string, Owned<{ [key: string]: string }>>();
  private readonly policyOwners = new Map<string, IConstruct>();
  // Policies as contributed, by field, to move into an adopted rule.
  private readonly policies = new Map<string, unknown>();
  private split?: Owned<BaseRoute[]>;
  private defaultSubset?: Owned<string>;
  private readonly faults: Owned<FaultRule>[] = [];
  private timeout?: Owned<Duration>;
  private retries?: Owned<HttpRetry>;
  private readonly listeners: Array<() => void> = [];
  private rendered: any[] = [];
  private elsewhere?: { owner: IConstruct; why: string };
  private readonly servicePorts: number[];
  /** The API this host's routes render to. */
  private readonly api: TrafficApi;
  private readonly serviceObject?: ApiObject;
  private _httpRoute?: GatewayApiHttpRoute;
  private _grpcRoute?: GatewayApiGrpcRoute;
  private gatewayRules: any[] = [];
  private readonly versionServices = new Map<string, ApiObject>();
  private readonly versionRules = new Map<string, DestinationRule>();
  private onWaypoint = false;

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    checkProps(this, 'MeshService', props);
    const resolved = props.service._resolve(this);
    const others = registry(this);
    const other = others.get(resolved.host);
    if (other) fail(this, `host ${show(resolved.host)} already has a MeshService, ${describe(other)}; use MeshService.of() to reach it.`);
    others.set(resolved.host, this);
    this.host = resolved.host;
    this.namespace = resolved.namespace ?? Chart.of(this).namespace;
    this.servicePorts = resolved.ports ?? [];
    this.serviceObject = resolved.service;
    this.api = TrafficApi.of(this);
    TrafficApi._markRendered(this);
    this.usePort(this, resolved);
    if (props.destinationRule) this.adoptDestinationRule(props.destinationRule);
  }

  /** The host's DestinationRule (ours or adopted), once an intent needs one. */
  public get destinationRule(): DestinationRule | undefined {
    return this._destinationRule;
  }

  /** The host's mesh VirtualService, once an intent routes (Istio's classic API). */
  public get virtualService(): VirtualService | undefined {
    return this._virtualService;
  }

  /** The host's mesh HTTPRoute (its parent is the Service), once an intent routes (Gateway API). */
  public get httpRoute(): GatewayApiHttpRoute | undefined {
    return this._httpRoute;
  }

  /** The host's mesh GRPCRoute (its parent is the Service), once an intent routes a gRPC port (Gateway API). */
  public get grpcRoute(): GatewayApiGrpcRoute | undefined {
    return this._grpcRoute;
  }

  /** The API the host's routes render to. */
  public get trafficApi(): TrafficApi {
    return this.api;
  }

  /** The subset names defined for the host so far. */
  public get subsetNames(): string[] {
    return [...this.subsets.keys()];
  }

  /**
   * Adopts an existing DestinationRule for the host: subsets and policies intents
   * contribute (before or after this call) go into it, and none is emitted of our own.
   */
  public adoptDestinationRule(rule: DestinationRule): void {
    checkArguments(this, 'MeshService', 'adoptDestinationRule', arguments);
    if (this.adopted) fail(this, `already adopted a DestinationRule for ${show(this.host)}; a host has one.`);
    if (rule.host !== this.host) fail(this, `cannot adopt ${describe(rule)}: its host ${show(rule.host)} is not ${show(this.host)} (use the FQDN).`);
    const ruleNamespace = rule.namespace ?? Chart.of(rule).namespace;
    if (this.namespace && ruleNamespace !== this.namespace) {
      // Istio looks a rule up in the client's namespace, then the service's, then the root namespace.
      fail(this, `cannot adopt ${describe(rule)}: it is in namespace ${show(ruleNamespace ?? 'default')}, not the service's ${show(this.namespace)}, so clients elsewhere would not see its subsets. Put it in ${show(this.namespace)}.`);
    }
    for (const field of rule.trafficPolicyFields) {
      const mine = this.policyOwners.get(field);
      if (mine) fail(this, `the adopted ${describe(rule)} sets trafficPolicy.${field}, which ${describe(mine)} sets too. One host has one ${field}: set it in one place.`);
    }
    const own = this._destinationRule;
    this._destinationRule = rule;
    this.adopted = true;
    for (const field of rule.trafficPolicyFields) this.policyOwners.set(field, rule);
    for (const name of rule.subsetNames) {
      const mine = this.subsets.get(name);
      if (mine && !sameLabels(mine.value, rule.subsetLabels(name)!)) {
        fail(this, `the adopted ${describe(rule)} defines subset ${show(name)} with labels ${show(rule.subsetLabels(name))}, but ${describe(mine.owner)} defines it with ${show(mine.value)}. Name the subsets apart.`);
      }
    }
    if (own) {
      // Move what intents contributed so far into the adopted rule, and point their ApiObject.of() at it.
      this.node.tryRemoveChild(own.node.id);
      const contributors = new Set<IConstruct>([...this.subsets.values()].map(s => s.owner));
      this.policyOwners.forEach(o => contributors.add(o));
      contributors.forEach(c => { if (c.node.defaultChild === own) c.node.defaultChild = rule; });
      for (const [name, s] of this.subsets) if (!rule.subsetNames.includes(name)) rule.addSubset({ name, labels: s.value });
      for (const [field, owner] of this.policyOwners) {
        if (owner !== rule) rule.addTrafficPolicy({ [field]: (this.policies.get(field) as any) });
      }
    }
    this._virtualService?.addDependency(rule);
  }

  /** A subset for the host; the same name with other labels is a conflict. @internal */
  public _addSubset(owner: IConstruct, name: string, labels: { [key: string]: string }): void {
    const existing = this.subsets.get(name);
    if (existing) {
      if (sameLabels(existing.value, labels)) return;
      fail(owner, `subset ${show(name)} of ${show(this.host)} is already defined by ${describe(existing.owner)} with labels ${show(existing.value)}, not ${show(labels)}. Name the subsets apart.`);
    }
    const adoptedOwn = this.adopted && this._destinationRule!.subsetNames.includes(name);
    if (adoptedOwn) {
      // The user's rule defines it: reuse when the labels agree (Bookinfo's destination-rule-all).
      const theirs = this._destinationRule!.subsetLabels(name)!;
      if (sameLabels(theirs, labels)) {
        if (this.api.isGatewayApi) {
          this.versionService(owner, name, labels);
          this.changed();
        }
        return;
      }
      fail(owner, `subset ${show(name)} of ${show(this.host)} is defined by the adopted ${describe(this._destinationRule!)} with labels ${show(theirs)}, not ${show(labels)}. Name the subsets apart.`);
    }
    this.subsets.set(name, { owner, value: labels });
    if (this.api.isGatewayApi) {
      this.versionService(owner, name, labels);
    } else {
      this.rule().addSubset({ name, labels });
    }
    this.changed();
  }

  /**
   * Gateway API has no subsets: a version is a Service of its own, `<service>-<subset>`,
   * selecting the Service's pods that carry the version's labels, with the Service's ports.
   */
  private versionService(owner: IConstruct, subset: string, labels: { [key: string]: string }): void {
    const base = this.serviceObject;
    if (!base) {
      fail(owner, `Gateway API has no subsets: each version of ${show(this.host)} becomes a Service of its own, made from the host's Service. `
        + 'Reference the Service itself (ServiceReference.fromService), or render this host with Istio\'s classic API.');
    }
    if (this.versionServices.has(subset)) return;
    const name = `${base.name}-${subset}`;
    if (name.length > 63) fail(owner, `the Service of version ${show(subset)} would be named ${show(name)}, longer than 63 characters; give the version a shorter name.`);
    const render = () => base.toJson();
    if (this.versionServices.size === 0) this.node.addValidation({ validate: () => this.checkVersionServices() });
    this.versionServices.set(subset, new ApiObject(this, `Service-${subset}`, {
      apiVersion: 'v1',
      kind: 'Service',
      // A version Service is used as its Service is: through the same waypoint (ambient).
      metadata: { name, namespace: this.namespace, labels: { ...labels, ...waypointLabels(base) } },
      spec: Lazy.any({
        produce: () => {
          const spec = render().spec ?? {};
          const ports = (spec.ports ?? []).map((p: any) => ({
            name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, appProtocol: p.appProtocol,
          }));
          return { selector: { ...spec.selector, ...labels }, ports };
        },
      }),
    }));
    if (this.policies.size) this.versionRule(subset);
  }

  /**
   * The host's traffic policy (circuit breaking, TLS, load balancing) on a version's own host
   * too (Gateway API: each version is a host): a DestinationRule with every policy so far.
   */
  private versionRule(subset: string): void {
    const name = this.versionServices.get(subset)!.name;
    const rule = new DestinationRule(this, `DestinationRule-${subset}`, {
      metadata: { name, namespace: this.namespace },
      host: `${name}.${this.namespace ?? 'default'}.svc.cluster.local`,
    });
    rule.addTrafficPolicy(Object.fromEntries(this.policies) as TrafficPolicy);
    this.versionRules.set(subset, rule);
  }

  /**
   * The host requests without a route's own match reach first: with Gateway API and versions, the
   * version Service of the default route's first destination with weight; else the host. @internal
   */
  public get _defaultDestinationHost(): string {
    const routes = this._routes ? this._httpRoutes(true) : [];
    const first = routes[routes.length - 1]?.route?.find(d => d.weight === undefined || d.weight > 0);
    return first?.destination.subset !== undefined && this.versionServices.has(first.destination.subset)
      ? this._destinationLabel(first.destination.subset) : this.host;
  }

  /** How the semantics harness names a subset's destination: the subset, or with Gateway API its Service's host. @internal */
  public _destinationLabel(subset: string): string {
    const version = this.versionServices.get(subset);
    return version ? `${version.name}.${this.namespace ?? 'default'}.svc.cluster.local` : subset;
  }

  /** A version Service must not take another Service's name, and needs the host Service's selector to narrow. */
  private checkVersionServices(): string[] {
    const errors: string[] = [];
    const base = this.serviceObject!;
    if (!Object.keys(base.toJson().spec?.selector ?? {}).length) {
      errors.push(`MeshService '${this.node.path}': the Service of ${show(this.host)} has no selector, so its versions' Services (Gateway API) cannot select their pods. Give the Service a selector.`);
    }
    const mine = new Set(this.versionServices.values());
    for (const c of this.node.root.node.findAll()) {
      if (!(c instanceof ApiObject) || c.kind !== 'Service' || mine.has(c)) continue;
      const namespace = c.metadata.namespace ?? Chart.of(c).namespace;
      const clash = [...this.versionServices.values()].find(v => v.name === c.name && namespace === this.namespace);
      if (clash) errors.push(`MeshService '${this.node.path}': the Service of a version of ${show(this.host)} (Gateway API) is named ${show(clash.name)}, like '${c.node.path}'. Rename one.`);
    }
    return errors;
  }

  /** The Gateway API backend a destination of the host's routes names. @internal */
  public _backendOf(owner: IConstruct, destination: RouteDestination): BackendReference {
    const port = destination.port ?? this._port ?? (this.servicePorts.length === 1 ? this.servicePorts[0] : undefined);
    if (port === undefined) {
      fail(owner, `routes to ${show(destination.host)} without naming a port, and Gateway API backends name one. Name it in the ServiceReference (fromService(service, port)).`);
    }
    if (destination.host !== this.host) {
      return { ...serviceOfHost(owner, destination.host, this.namespace), port };
    }
    if (destination.subset !== undefined) {
      if (!this.api.isGatewayApi) {
        fail(owner, `routes with Gateway API to ${show(this.host)}, whose chart renders with ${this.api.describe()}: its versions are DestinationRule subsets there, which Gateway API cannot name. `
          + 'Render both charts with one API (TrafficApi.use on the app).');
      }
      const version = this.versionServices.get(destination.subset);
      if (!version) fail(owner, `routes to subset ${show(destination.subset)} of ${show(this.host)}, which no intent defines.`);
      return { name: version.name, namespace: this.namespace, port };
    }
    return { ...serviceOfHost(owner, this.host, this.namespace), port };
  }

  /** Traffic policy fields for the host; a field set by two constructs is a conflict. @internal */
  public _addTrafficPolicy(owner: IConstruct, policy: TrafficPolicy): void {
    for (const [field, value] of Object.entries(policy)) {
      if (value === undefined) continue;
      const other = this.policyOwners.get(field);
      if (other) fail(owner, `sets trafficPolicy.${field} for ${show(this.host)}, which ${describe(other)} already sets. One host has one ${field}: set it in one place.`);
      this.policyOwners.set(field, owner);
      this.policies.set(field, value);
    }
    this.rule().addTrafficPolicy(policy);
    if (!this.onWaypoint) this.checkDataPlane(owner, false);
    // With Gateway API each version is a host of its own: the policy must reach those hosts too.
    for (const subset of this.versionServices.keys()) {
      const rule = this.versionRules.get(subset);
      if (rule) rule.addTrafficPolicy(policy); else this.versionRule(subset);
    }
  }

  /** The routes that pick a destination (a canary's split); one owner per host. @internal */
  public _setSplit(owner: IConstruct, routes: BaseRoute[]): void {
    this.checkRoutable(owner);
    if (this.split) fail(owner, `splits traffic of ${show(this.host)}, which ${describe(this.split.owner)} already splits. One host has one split: use one CanaryRelease.`);
    if (this.defaultSubset) fail(owner, `splits traffic of ${show(this.host)}, but ${describe(this.defaultSubset.owner)} sends all of it to subset ${show(this.defaultSubset.value)}. Remove one.`);
    this.split = { owner, value: routes };
    this.changed();
  }

  /** All traffic to one subset (when nothing splits it). @internal */
  public _setDefaultSubset(owner: IConstruct, subset: string): void {
    this.checkRoutable(owner);
    const other = this.split ?? this.defaultSubset;
    if (other) fail(owner, `sends all traffic of ${show(this.host)} to subset ${show(subset)}, but ${describe(other.owner)} already decides where it goes. Remove one.`);
    this.defaultSubset = { owner, value: subset };
    this.changed();
  }

  /** A fault; at most one for all requests. @internal */
  public _addFault(owner: IConstruct, fault: FaultRule): void {
    this.checkRoutable(owner);
    const forAll = this.faults.find(f => !f.value.headers);
    if (!fault.headers && forAll) fail(owner, `injects a fault into all requests to ${show(this.host)}, as ${describe(forAll.owner)} does. Keep one, or match headers.`);
    // Routes match first-come: an earlier fault whose headers this one also requires would take all its requests.
    const broader = fault.headers && this.faults.find(f => f.value.headers && Object.entries(f.value.headers)
      .every(([k, m]) => fault.headers![k]?.kind === m.kind && fault.headers![k]?.value === m.value));
    if (broader) {
      fail(owner, `matches every header ${describe(broader.owner)} matches, which comes first and takes all its requests, so this fault would never apply. Create the more specific fault first.`);
    }
    this.faults.push({ owner, value: fault });
    this.changed();
  }

  /** The host's request timeout; one owner. @internal */
  public _setTimeout(owner: IConstruct, timeout: Duration): void {
    this.checkRoutable(owner);
    if (this.timeout) fail(owner, `sets a timeout for ${show(this.host)}, which ${describe(this.timeout.owner)} already sets. One host has one timeout.`);
    this.timeout = { owner, value: timeout };
    this.changed();
  }

  /** The host's retry policy; one owner. @internal */
  public _setRetries(owner: IConstruct, retries: HttpRetry): void {
    this.checkRoutable(owner);
    if (this.retries) fail(owner, `sets retries for ${show(this.host)}, which ${describe(this.retries.owner)} already sets. One host has one retry policy.`);
    this.retries = { owner, value: retries };
    this.changed();
  }

  /** The construct that set the timeout, if any (ingress routes must not set a second). @internal */
  public get _timeoutOwner(): IConstruct | undefined {
    return this.timeout?.owner;
  }

  /** The construct that set the retries, if any. @internal */
  public get _retriesOwner(): IConstruct | undefined {
    return this.retries?.owner;
  }

  /** The first construct that routes this host, if any. @internal */
  public get _router(): IConstruct | undefined {
    return this.split?.owner ?? this.defaultSubset?.owner ?? this.faults[0]?.owner ?? this.timeout?.owner ?? this.retries?.owner;
  }

  /** Whether any intent routes this host (a split, a subset, a fault, a timeout or retries). @internal */
  public get _routes(): boolean {
    return !!(this.split || this.defaultSubset || this.faults.length || this.timeout || this.retries);
  }

  /**
   * A request from a fresh sidecar in the host's namespace, for promises about
   * routing; undefined when no port is known (a host without one). @internal
   */
  public _clientRequest(): ExpectedRequest | undefined {
    const port = this._port ?? this.servicePorts[0];
    if (port === undefined) return undefined;
    return { from: { namespace: this.namespace ?? 'default' }, host: this.host, port };
  }

  /** The port routes target, if one was named. @internal */
  public get _port(): number | undefined {
    return this.port?.value;
  }

  /**
   * The host's HTTP routes in their documented order. For sidecars (not `atGateway`)
   * a named port is matched too: Istio applies a host's HTTP routes to all its HTTP
   * ports, and a route naming one port would carry the others' traffic to it. @internal
   */
  public _httpRoutes(atGateway = false): HttpRoute[] {
    const destination = { host: this.host, subset: this.defaultSubset?.value, port: this._port };
    const base: BaseRoute[] = this.split?.value ?? [{ route: { name: 'default', route: [{ destination }] }, owner: this.defaultSubset?.owner }];
    const routes = composeRoutes(base, this.faults, { timeout: this.timeout?.value, retries: this.retries?.value });
    if (atGateway || this._port === undefined) return routes;
    return routes.map(r => ({ ...r, match: (r.match ?? [{}]).map(m => ({ ...m, port: this._port })) }));
  }

  /** The construct that made a route's match, for error messages. @internal */
  public _ownerOf(route: HttpRoute): IConstruct | undefined {
    return this.split?.value.find(b => b.route.name === route.name)?.owner
      ?? this.faults.find(f => route.name?.startsWith(routeName(f.owner, undefined)))?.owner;
  }

  /**
   * No intent may route this host here: `owner` routes it with a VirtualService of its
   * own (a `MeshEgress` chaining it through an egress gateway), or it carries no HTTP
   * (TLS passed through), so HTTP routes would never apply. `why` completes
   * "MeshEgress 'path' …". @internal
   */
  public _claimRouting(owner: IConstruct, why: string): void {
    this.checkRoutable(owner);
    const router = this._router;
    if (router) fail(owner, `${why}, but ${describe(router)} routes it. Route the host in one place.`);
    this.elsewhere = { owner, why };
  }

  private checkRoutable(owner: IConstruct): void {
    if (this.elsewhere) fail(owner, `routes ${show(this.host)}, but ${describe(this.elsewhere.owner)} ${this.elsewhere.why}. Route the host in one place.`);
  }

  /** Calls `listener` whenever the routes change (gateway routes re-render). @internal */
  public _onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    if (this._routes) {
      TrafficApi._markRendered(this);
      if (!this.onWaypoint) this.checkDataPlane();
      if (this.api.isGatewayApi) {
        // Converted (and checked) now, so what Gateway API cannot express fails here, naming the contributor.
        const rules = this._httpRoutes(true).map(r => {
          const owner = this._ownerOf(r) ?? this.split?.owner ?? this.timeout?.owner ?? this.retries?.owner ?? this.faults[0]?.owner ?? this;
          return gatewayApiRule(owner, this.api, r, d => this._backendOf(owner, d), this.namespace);
        });
        // A gRPC port gets a GRPCRoute when every rule has a GRPCRoute form; else an HTTPRoute (Istio applies it to gRPC too).
        const grpcRules = this.isGrpc() ? rules.map(grpcRuleOf) : [];
        if (grpcRules.length && grpcRules.every(r => r)) {
          const route = this.gatewayRoute('GRPCRoute');
          this.gatewayRules = grpcRules.map((r, i) => GatewayApiGrpcRoute._renderRule(route, `rules[${i}]`, r!));
        } else {
          const route = this.gatewayRoute('HTTPRoute');
          this.gatewayRules = rules.map((r, i) => GatewayApiHttpRoute._renderRule(route, `rules[${i}]`, r));
        }
      } else {
        const vs = this._virtualService ?? this.createVirtualService();
        // Rendered (and checked) now, so a bad combination fails here, naming the contributor.
        this.rendered = this._httpRoutes().map((r, i) => renderHttpRoute(vs, `http[${i}]`, r));
      }
    }
    this.listeners.forEach(l => l());
  }

  /**
   * Ambient: a waypoint applies the host's routes and traffic policy (ztunnel sees no HTTP, nor
   * DestinationRules); routes from an HTTPRoute whose parent is the Service, since VirtualServices
   * at waypoints are alpha, and mixing the two undefined.
   */
  private checkDataPlane(owner: IConstruct = this._router ?? this, routes = true): void {
    if (!this.namespace || DataPlane._renderFor(owner, this.namespace) !== DataPlaneMode.AMBIENT) return;
    if (routes && !this.api.isGatewayApi) {
      fail(owner, `routes ${show(this.host)} in namespace ${show(this.namespace)}, which is ambient: a waypoint applies its routes, and Istio supports `
        + 'waypoint routing with Gateway API (VirtualService there is alpha). Render with Gateway API: TrafficApi.use(app, TrafficApi.gatewayApi()).');
    }
    if (!this.serviceObject) {
      fail(owner, `routes ${show(this.host)} in namespace ${show(this.namespace)}, which is ambient: its Service must use a waypoint, and this app does not hold it. `
        + 'Reference the Service itself (ServiceReference.fromService).');
    }
    // Ingress traffic through the waypoint too, so it is routed (and policed) as mesh traffic is.
    Waypoint._serving(owner, this.serviceObject, { ingressUsesWaypoint: true });
    this.versionServices.forEach(v => Waypoint._serving(owner, v, { ingressUsesWaypoint: true }));
    this.onWaypoint = true;
  }

  /**
   * The host's mesh route in Gateway API form, its parent the Service (GAMMA): an HTTPRoute, or a
   * GRPCRoute for a gRPC port. A later contribution may need the other kind (a timeout on a gRPC
   * host): the route is then replaced, and constructs that pointed at it point at its successor.
   */
  private gatewayRoute(kind: 'HTTPRoute' | 'GRPCRoute'): GatewayApiHttpRoute | GatewayApiGrpcRoute {
    const existing = kind === 'HTTPRoute' ? this._httpRoute : this._grpcRoute;
    if (existing) return existing;
    const props = { metadata: { name: objectName(this.host), namespace: this.namespace }, parentRefs: [this.serviceParent()] };
    const route = kind === 'HTTPRoute' ? new GatewayApiHttpRoute(this, kind, props) : new GatewayApiGrpcRoute(this, kind, props);
    route._generateRules(() => this.gatewayRules);
    const replaced = this._httpRoute ?? this._grpcRoute;
    if (replaced) {
      // What the user wrote on the old route must not vanish: its labels and annotations move; patches and rules cannot.
      const patched = ((replaced as any).patches ?? []).length > 0;
      const ownRules = (replaced.toJson().spec?.rules ?? []).length > this.gatewayRules.length;
      if (patched || ownRules) {
        const article = kind === 'HTTPRoute' ? 'an HTTPRoute' : 'a GRPCRoute';
        fail(this, `the ${replaced.kind} of ${show(this.host)} must become ${article} (a rule only ${article} can express was added), `
          + `but it carries ${patched ? 'JSON patches' : 'rules'} of yours, which would be lost. Add the intents first and edit the route after them.`);
      }
      const metadata = replaced.metadata.toJson();
      Object.entries(metadata.labels ?? {}).forEach(([k, v]) => route.metadata.addLabel(k, v as string));
      Object.entries(metadata.annotations ?? {}).forEach(([k, v]) => route.metadata.addAnnotation(k, v as string));
      this.node.tryRemoveChild(replaced.node.id);
      this.node.root.node.findAll().forEach(c => { if (c.node.defaultChild === replaced) c.node.defaultChild = route; });
    }
    this._httpRoute = kind === 'HTTPRoute' ? route as GatewayApiHttpRoute : undefined;
    this._grpcRoute = kind === 'GRPCRoute' ? route as GatewayApiGrpcRoute : undefined;
    return route;
  }

  private serviceParent(): ParentReference {
    const service = serviceOfHost(this, this.host, this.namespace);
    return { kind: 'Service', group: '', name: service.name, namespace: service.namespace !== this.namespace ? service.namespace : undefined, port: this._port };
  }

  /**
   * Whether the routed port speaks gRPC, as Istio reads a Service port: `appProtocol: grpc`, or a
   * name `grpc` / `grpc-<suffix>`. Only known for the app's own Service.
   */
  private isGrpc(): boolean {
    let ports: any[];
    try {
      ports = this.serviceObject?.toJson().spec?.ports ?? [];
    } catch {
      return false; // a Service not complete yet (cdk8s-plus before its ports are set): HTTPRoute serves gRPC too
    }
    const port = this._port !== undefined ? ports.find(p => p.port === this._port) : ports.length === 1 ? ports[0] : undefined;
    if (!port) return false;
    return port.appProtocol !== undefined ? port.appProtocol === 'grpc' : (port.name ?? '').split('-')[0] === 'grpc';
  }

  private rule(): DestinationRule {
    if (!this._destinationRule) {
      // In the service's namespace: DestinationRules apply from there (client → service → root lookup).
      this._destinationRule = new DestinationRule(this, 'DestinationRule', { metadata: { name: objectName(this.host), namespace: this.namespace }, host: this.host });
      // Subsets exist before routes use them (output contract).
      this._virtualService?.addDependency(this._destinationRule);
    }
    return this._destinationRule;
  }

  private createVirtualService(): VirtualService {
    this._virtualService = new VirtualService(this, 'VirtualService', { metadata: { name: objectName(this.host), namespace: this.namespace }, hosts: [this.host] });
    this._virtualService._generateHttpRoutes(() => this.rendered);
    if (this._destinationRule) this._virtualService.addDependency(this._destinationRule);
    return this._virtualService;
  }

  private usePort(scope: IConstruct, resolved: ResolvedService): void {
    if (resolved.port === undefined) return;
    if (this.port && this.port.value !== resolved.port) {
      fail(scope, `targets port ${resolved.port} of ${show(this.host)}, but ${describe(this.port.owner)} targets port ${this.port.value}. Routes of one host target one port here.`);
    }
    this.port = { owner: scope, value: resolved.port };
  }
}

/** Object names for a host: the Service name for in-cluster hosts, else the host made a DNS label. */
function objectName(host: string): string {
  if (host.endsWith('.svc.cluster.local')) return host.split('.')[0];
  return hostSlug(host).slice(0, 63).replace(/-+$/, '');
}

function registry(scope: IConstruct): Map<string, MeshService> {
  const root = scope.node.root as any;
  if (!root[REGISTRY]) Object.defineProperty(root, REGISTRY, { value: new Map() });
  return root[REGISTRY];
}

function sameLabels(a: { [key: string]: string }, b: { [key: string]: string }): boolean {
  const sorted = (l: { [key: string]: string }) => JSON.stringify(Object.entries(l).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}
