import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshService } from './mesh-service';
import { ServiceReference } from './service-reference';
import { AdmittedRoutes, admitRoutesFrom } from './traffic/gateway-api-routes';
import { checkArguments, checkProps } from '../core/arguments';
import { describe, fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { Expectation, promise } from '../core/expectations';
import { checkDns1123Label, checkHost, hostSlug, nameFromId } from '../core/names';
import { checkPort } from '../core/percent';
import { SUPPRESS_ANNOTATION } from '../core/suppression';
import { TrafficApi } from '../core/traffic-api';
import { ClientTlsMode } from '../resources/client-tls';
import { DestinationRule } from '../resources/destination-rule';
import { Gateway, ServerTlsMode } from '../resources/gateway';
import { GatewayApiGateway, ListenerProtocol, ListenerTlsMode } from '../resources/gateway-api/gateway-api-gateway';
import { GatewayApiHttpRoute } from '../resources/gateway-api/gateway-api-http-route';
import { GatewayApiTlsRoute } from '../resources/gateway-api/gateway-api-tls-route';
import { ReferenceGrant } from '../resources/gateway-api/reference-grant';
import { BackendReference, ParentReference } from '../resources/gateway-api/references';
import { GatewayReference } from '../resources/gateway-reference';
import { ExternalGatewayWorkload, IGatewayWorkload } from '../resources/gateway-workload-reference';
import { PortProtocol } from '../resources/port';
import { ServiceEntry } from '../resources/service-entry';
import { OutboundTrafficMode, Sidecar } from '../resources/sidecar';
import { VirtualService } from '../resources/virtual-service';

// The CA bundle in Istio's proxy images: origination verifies the external server against it (IST0128/IST0129).
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** One external host the mesh may call. */
export interface ExternalHostOptions {
  /** DNS name, e.g. `api.example.com`. */
  readonly host: string;
  /** HTTPS port of the host. @default 443 */
  readonly port?: number;
  /**
   * Let applications speak plain HTTP on port 80 and have Istio originate TLS
   * to the host (so the mesh can see and route HTTP). Without an egress gateway
   * the sidecar originates; with one, the sidecar sends mutual TLS to the egress
   * gateway and the gateway originates TLS to the host.
   * @default false (TLS passthrough)
   * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway-tls-origination/
   */
  readonly originateTls?: boolean;
}

/** Props of a `MeshEgress`. */
export interface MeshEgressProps {
  /** Route external traffic through this egress gateway (SNI passthrough, or TLS origination at the gateway). @default - direct from the sidecars */
  readonly egressGateway?: IGatewayWorkload;
  /**
   * Also emit a namespace Sidecar with outboundTrafficPolicy REGISTRY_ONLY, so
   * only registered hosts are reachable from this namespace. @default false
   */
  readonly registryOnly?: boolean;
}

/**
 * Controlled access to external services: a ServiceEntry per host, optional TLS
 * origination, and optional routing through an egress gateway.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/
 *
 * @example
 * declare const chart: Chart;
 * declare const egressGateway: EgressGateway;
 *
 * const egress = new MeshEgress(chart, 'external', { egressGateway, registryOnly: true });
 * egress.addExternalHost({ host: 'api.example.com' });                       // TLS passthrough
 * egress.addExternalHost({ host: 'httpbin.org', originateTls: true });       // apps speak HTTP
 */
export class MeshEgress extends Construct {
  private readonly egressGateway?: IGatewayWorkload;
  private readonly baseName: string;
  private _gateway?: Gateway;
  private _gatewayRule?: DestinationRule;
  private readonly _sidecar?: Sidecar;
  private readonly virtualServiceRoutes: VirtualService[] = [];
  private readonly hosts = new Set<string>();
  private readonly originated: Array<{ host: string; port: number }> = [];
  private readonly passedThrough: Array<{ host: string; port: number }> = [];
  private readonly registryOnly: boolean;
  private readonly api: TrafficApi;
  private _gatewayApiGateway?: GatewayApiGateway;
  private readonly gatewayApiRoutes: ApiObject[] = [];
  private readonly grants = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, props: MeshEgressProps = {}) {
    super(scope, id);
    checkProps(this, 'MeshEgress', props);
    reportChildErrorsAsOwn(this);
    TrafficApi._markRendered(this);
    this.api = TrafficApi.of(this);
    this.egressGateway = props.egressGateway;
    this.registryOnly = props.registryOnly ?? false;
    // Object names of the gateway leg come from the id, so two MeshEgress constructs do not collide.
    this.baseName = nameFromId(this.node.id);
    checkDns1123Label(this, `name (derived from the id ${show(this.node.id)})`, this.baseName);
    if (props.egressGateway instanceof ExternalGatewayWorkload) props.egressGateway._check(this, 'egressGateway');
    if (props.egressGateway && !props.egressGateway.serviceHost) {
      fail(this, `egressGateway ${show(props.egressGateway.name)} has no known Service host; sidecars reach the gateway through its Service. Pass an EgressGateway of this app, or ExternalGatewayWorkload.fromSelector(labels, namespace, serviceName).`);
    }
    if (props.registryOnly) {
      this._sidecar = new Sidecar(this, 'RegistryOnly', { metadata: { name: 'default' }, outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    }
    this.node.addValidation({ validate: () => this.hosts.size === 0 ? ['MeshEgress has no external hosts; call addExternalHost().'] : [] });
    promise(this, () => this.promises());
  }

  /**
   * From a sidecar in this namespace: plain HTTP to a TLS-originating host leaves
   * the mesh as TLS with the host's SNI (through the egress gateway when there is
   * one); the client's own TLS reaches a passthrough host untouched, routed by SNI
   * (through the egress gateway when there is one); with registryOnly, an
   * unregistered host is refused.
   */
  private promises(): Expectation[] {
    const namespace = Chart.of(this).namespace ?? 'default';
    const egw = this.egressGateway;
    const via = egw?.managedByApp && egw.serviceHost ? [`${egw.serviceHost.split('.')[1]}/${egw.name}`] : undefined;
    const out: Expectation[] = this.originated.map(({ host, port }) => ({
      promise: `http://${host} leaves the mesh as TLS to ${host}:${port}${egw ? ' through the egress gateway' : ''}`,
      request: { from: { namespace }, host, port: 80 },
      expect: { upstream: { host, port, tls: 'originated', sni: host }, ...(via ? { via } : {}) },
    }));
    for (const { host, port } of this.passedThrough) {
      out.push({
        promise: `TLS to ${host}:${port} leaves the mesh untouched${egw ? ' through the egress gateway' : ''}`,
        request: { from: { namespace }, host, port, tls: true },
        expect: { upstream: { host, port, tls: 'passthrough', sni: host }, ...(via ? { via } : {}) },
      });
    }
    if (this.registryOnly) {
      out.push({ promise: 'a host not registered is refused (REGISTRY_ONLY)', request: { from: { namespace }, host: 'unregistered.example.com', port: 80 }, expect: { status: 502 } });
    }
    return out;
  }

  /** The egress Gateway API Gateway (with `TrafficApi.gatewayApi()`), once a host is routed through the egress gateway. */
  public get gatewayApiGateway(): GatewayApiGateway | undefined {
    return this._gatewayApiGateway;
  }

  /**
   * With Gateway API, the routes chaining hosts through the egress gateway: per host, one whose
   * parent is the host's ServiceEntry (to the gateway) and one on the Gateway (to the host).
   */
  public get routes(): ApiObject[] {
    return [...this.gatewayApiRoutes];
  }

  /** The egress Gateway, once a host is routed through the egress gateway (Istio's classic API). */
  public get gateway(): Gateway | undefined {
    return this._gateway;
  }

  /** The DestinationRule for the egress gateway's host (classic API: a subset per external host; Gateway API: mutual TLS on port 80), once TLS is originated there. */
  public get gatewayDestinationRule(): DestinationRule | undefined {
    return this._gatewayRule;
  }

  /** The namespace Sidecar with outboundTrafficPolicy REGISTRY_ONLY, when `registryOnly` is set. */
  public get sidecar(): Sidecar | undefined {
    return this._sidecar;
  }

  /** The VirtualServices chaining hosts through the egress gateway (one per host routed there). */
  public get virtualServices(): VirtualService[] {
    return [...this.virtualServiceRoutes];
  }

  /**
   * Registers an external host; returns its ServiceEntry. Its DestinationRule (TLS
   * origination) is the host's `MeshService.of(scope, ServiceReference.fromHost(host)).destinationRule`.
   */
  public addExternalHost(options: ExternalHostOptions): ServiceEntry {
    checkArguments(this, 'MeshEgress', 'addExternalHost', arguments);
    const host = checkHost(this, 'host', options.host, { allowWildcard: false });
    const port = checkPort(this, 'port', options.port) ?? 443;
    if (this.hosts.has(host)) fail(this, `host ${show(host)} is already registered.`);
    const slug = hostSlug(host);
    const twin = [...this.hosts].find(h => hostSlug(h) === slug);
    if (twin) fail(this, `hosts ${show(twin)} and ${show(host)} would name the same objects (${show(slug)}); register them in two MeshEgress constructs.`);
    this.hosts.add(host);
    if (options.originateTls) {
      this.originated.push({ host, port });
      return this.egressGateway ? this.originateAtGateway(host, port, slug) : this.originateAtSidecar(host, port, slug);
    }
    const se = new ServiceEntry(this, `ServiceEntry-${slug}`, {
      metadata: { name: slug },
      hosts: [host],
      ports: [{ number: port, protocol: PortProtocol.TLS, name: 'tls' }],
    });
    this.passedThrough.push({ host, port });
    if (this.egressGateway) {
      this.routeThroughGateway(host, port, slug);
    } else {
      this.model(host)._claimRouting(this, `passes TLS to ${show(host)} through untouched, so there is no HTTP for routes to apply to (originateTls: true gives HTTP)`);
    }
    return se;
  }

  /** The sidecar takes plain HTTP on port 80 and opens TLS to the host itself. */
  private originateAtSidecar(host: string, port: number, slug: string): ServiceEntry {
    const se = new ServiceEntry(this, `ServiceEntry-${slug}`, {
      metadata: { name: slug },
      hosts: [host],
      // Plain HTTP on 80 is originated; the HTTPS port stays registered for clients that speak TLS themselves.
      ports: [{ number: 80, protocol: PortProtocol.HTTP, name: 'http', targetPort: port }, { number: port, protocol: PortProtocol.HTTPS, name: 'https' }],
    });
    // Through the host's traffic model, so a circuit breaker on the host shares this rule.
    this.model(host)._addTrafficPolicy(this, {
      portLevelSettings: [{ port: 80, tls: { mode: ClientTlsMode.SIMPLE, sni: host, caCertificates: SYSTEM_CA_BUNDLE } }],
    });
    return se;
  }

  /**
   * Sidecar → egress gateway over Istio mutual TLS on port 80, gateway → host
   * over TLS it originates: Istio's "egress gateway TLS origination" chain.
   */
  private originateAtGateway(host: string, port: number, slug: string): ServiceEntry {
    const egw = this.requireGatewayPort(80);
    const se = new ServiceEntry(this, `ServiceEntry-${slug}`, {
      metadata: { name: slug },
      hosts: [host],
      ports: [
        { number: 80, protocol: PortProtocol.HTTP, name: 'http' },
        { number: port, protocol: PortProtocol.HTTPS, name: 'https' },
      ],
    });
    if (this.api.isGatewayApi) {
      this.originateAtGatewayApiGateway(egw, host, port, slug);
      return se;
    }
    this.gatewayFor(egw).addServer({
      name: `https-${slug}`,
      port: { number: 80, protocol: PortProtocol.HTTPS, name: `https-${slug}` },
      hosts: [host],
      tls: { mode: ServerTlsMode.ISTIO_MUTUAL },
    });
    // One rule for the gateway host with a subset per external host, so each leg carries its own SNI.
    if (!this._gatewayRule) {
      this._gatewayRule = new DestinationRule(this, 'GatewayDestinationRule', {
        metadata: { name: `${this.baseName}-gateway` },
        host: this.gatewayHost(egw),
      });
    }
    this._gatewayRule.addSubset({
      name: slug,
      labels: egw.podLabels,
      trafficPolicy: { portLevelSettings: [{ port: 80, tls: { mode: ClientTlsMode.ISTIO_MUTUAL, sni: host } }] },
    });
    const vs = this.chainThroughGateway(host, slug);
    vs.addHttpRoute({ match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: this.gatewayHost(egw), subset: slug, port: 80 } }] });
    vs.addHttpRoute({ match: [{ gateways: [vs.gateways[1]], port: 80 }], route: [{ destination: { host, port } }] });
    this.model(host)._addTrafficPolicy(this, {
      portLevelSettings: [{ port, tls: { mode: ClientTlsMode.SIMPLE, sni: host, caCertificates: SYSTEM_CA_BUNDLE } }],
    });
    return se;
  }

  /** Sidecar → egress gateway → host with the TLS stream passed through untouched (routed by SNI). */
  private routeThroughGateway(host: string, port: number, slug: string): void {
    const egw = this.requireGatewayPort(port);
    if (this.api.isGatewayApi) {
      this.passThroughGatewayApiGateway(egw, host, port, slug);
      return;
    }
    this.gatewayFor(egw).addServer({ name: `tls-${slug}`, port: { number: port, protocol: PortProtocol.TLS, name: `tls-${slug}` }, hosts: [host], tls: { mode: ServerTlsMode.PASSTHROUGH } });
    const vs = this.chainThroughGateway(host, slug);
    vs.addTlsRoute({ match: [{ gateways: ['mesh'], port, sniHosts: [host] }], route: [{ destination: { host: this.gatewayHost(egw), port } }] });
    vs.addTlsRoute({ match: [{ gateways: [vs.gateways[1]], port, sniHosts: [host] }], route: [{ destination: { host, port } }] });
  }

  private requireGatewayPort(port: number): IGatewayWorkload {
    const egw = this.egressGateway!;
    if (!egw.hasServicePort(port)) fail(this, `egress gateway '${egw.name}' exposes no Service port ${port}; add it to the gateway's ports.`);
    return egw;
  }

  private gatewayFor(egw: IGatewayWorkload): Gateway {
    if (!this._gateway) {
      this._gateway = new Gateway(this, 'Gateway', {
        // Pods outside the app cannot be matched offline; their selector is the user's word.
        metadata: { name: this.baseName, namespace: egw.namespace, annotations: egw.managedByApp ? undefined : { [SUPPRESS_ANNOTATION]: 'IST0101' } },
        selector: egw.podLabels,
      });
    }
    return this._gateway;
  }

  private gatewayHost(egw: IGatewayWorkload): string {
    return egw.serviceHost!;
  }

  /**
   * The host's traffic model. Its DestinationRule must sit in the ServiceEntry's namespace (Istio looks a rule up
   * in the client's, the ServiceEntry's and the root namespace), so a model another construct made elsewhere is an error.
   */
  private model(host: string): MeshService {
    const model = MeshService.of(this, ServiceReference.fromHost(host));
    const here = Chart.of(this).namespace;
    if (model.namespace !== here) {
      fail(this, `registers ${show(host)} in namespace ${show(here ?? 'default')}, but the host's DestinationRule is in ${show(model.namespace ?? 'default')} `
        + `(${describe(model)}, made where the host was first named); clients elsewhere would not see its TLS settings. Create the MeshEgress first, or both in one namespace.`);
    }
    return model;
  }

  /**
   * Gateway API form of the passthrough chain (Istio's egress gateway task): a TLS listener in
   * Passthrough mode for the host, a TLSRoute whose parent is the host's ServiceEntry sending the
   * stream to the gateway's Service, and one on the Gateway sending it on to the host.
   */
  private passThroughGatewayApiGateway(egw: IGatewayWorkload, host: string, port: number, slug: string): void {
    this.model(host)._claimRouting(this, `routes ${show(host)} through the egress gateway with routes of its own`);
    const gw = this.gatewayApiGatewayFor(egw);
    const section = `tls-${slug}`;
    const tls = { mode: ListenerTlsMode.PASSTHROUGH };
    gw.addListener({ name: section, port, protocol: ListenerProtocol.TLS, hostname: host, tls, ...this.allowedRoutes(egw) });
    this.gatewayApiRoutes.push(
      new GatewayApiTlsRoute(this, `TLSRoute-${slug}-to-egress`, {
        metadata: { name: `${slug}-to-egress` },
        parentRefs: [this.serviceEntryParent(slug)],
        hostnames: [host],
        backendRefs: [this.gatewayBackend(egw, port, 'TLSRoute')],
      }),
      new GatewayApiTlsRoute(this, `TLSRoute-${slug}-from-egress`, {
        metadata: { name: `${slug}-from-egress` },
        parentRefs: [this.gatewayParent(egw, section)],
        hostnames: [host],
        backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: host, port }],
      }),
    );
  }

  /**
   * Gateway API form of TLS origination at the gateway: the sidecar sends HTTP inside the mesh's
   * mutual TLS to port 80 of the gateway (a listener terminating ISTIO_MUTUAL, shared by the hosts),
   * and the gateway sends it on to the host, whose DestinationRule originates TLS.
   */
  private originateAtGatewayApiGateway(egw: IGatewayWorkload, host: string, port: number, slug: string): void {
    this.model(host)._claimRouting(this, `routes ${show(host)} through the egress gateway with routes of its own`);
    const gw = this.gatewayApiGatewayFor(egw);
    const section = 'mesh-http';
    if (!gw.listenerNames.includes(section)) {
      gw.addListener({
        name: section,
        port: 80,
        protocol: ListenerProtocol.HTTPS,
        tls: { mode: ListenerTlsMode.TERMINATE, options: { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' } },
        ...this.allowedRoutes(egw),
      });
      // Two Gateways' listeners on port 80 of the same pods, both for any host, are one server to Istio: one set of routes is lost.
      this.node.addValidation({ validate: () => this.sharedOrigination(egw) });
      // Sidecars reach the gateway pods with Istio mutual TLS only when a DestinationRule asks for it.
      this._gatewayRule = new DestinationRule(this, 'GatewayDestinationRule', {
        metadata: { name: `${this.baseName}-gateway` },
        host: this.gatewayHost(egw),
        trafficPolicy: { portLevelSettings: [{ port: 80, tls: { mode: ClientTlsMode.ISTIO_MUTUAL } }] },
      });
    }
    this.gatewayApiRoutes.push(
      new GatewayApiHttpRoute(this, `HTTPRoute-${slug}-to-egress`, {
        metadata: { name: `${slug}-to-egress` },
        parentRefs: [{ ...this.serviceEntryParent(slug), port: 80 }],
        rules: [{ backendRefs: [this.gatewayBackend(egw, 80, 'HTTPRoute')] }],
      }),
      new GatewayApiHttpRoute(this, `HTTPRoute-${slug}-from-egress`, {
        metadata: { name: `${slug}-from-egress` },
        parentRefs: [this.gatewayParent(egw, section)],
        hostnames: [host],
        rules: [{ backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: host, port }] }],
      }),
    );
    this.model(host)._addTrafficPolicy(this, {
      portLevelSettings: [{ port, tls: { mode: ClientTlsMode.SIMPLE, sni: host, caCertificates: SYSTEM_CA_BUNDLE } }],
    });
  }

  /** With Gateway API, one MeshEgress per egress gateway originates TLS there (its listener on port 80 serves every host). */
  private sharedOrigination(egw: IGatewayWorkload): string[] {
    const other = this.node.root.node.findAll().find((c): c is MeshEgress => c instanceof MeshEgress && c !== this
      && c._gatewayApiGateway?.listenerNames.includes('mesh-http') === true && c.egressGateway?.serviceHost === egw.serviceHost);
    if (!other || this.node.path > other.node.path) return [];
    return [`MeshEgress '${this.node.path}' and ${describe(other)} both originate TLS at egress gateway ${show(egw.serviceHost)} with Gateway API; `
      + 'their listeners on port 80 would be one server to Istio, and one of them would lose its routes. Register those hosts in one MeshEgress.'];
  }

  /** The Gateway API Gateway bound to the egress gateway pods through their Service (Istio's manual deployment). */
  private gatewayApiGatewayFor(egw: IGatewayWorkload): GatewayApiGateway {
    if (!this._gatewayApiGateway) {
      this._gatewayApiGateway = new GatewayApiGateway(this, 'Gateway', {
        metadata: { name: this.baseName, namespace: egw.namespace },
        addresses: [{ type: 'Hostname', value: this.gatewayHost(egw) }],
      });
    }
    return this._gatewayApiGateway;
  }

  /** Routes live in this chart's namespace; a Gateway elsewhere admits that namespace by name. */
  private allowedRoutes(egw: IGatewayWorkload): AdmittedRoutes {
    const here = Chart.of(this).namespace ?? 'default';
    return admitRoutesFrom(here, egw.namespace ?? here);
  }

  private serviceEntryParent(slug: string): ParentReference {
    return { group: 'networking.istio.io', kind: 'ServiceEntry', name: slug };
  }

  private gatewayParent(egw: IGatewayWorkload, section: string): ParentReference {
    const here = Chart.of(this).namespace ?? 'default';
    return { name: this.baseName, namespace: (egw.namespace ?? here) !== here ? egw.namespace : undefined, sectionName: section };
  }

  /** The egress gateway's Service as a backend; in another namespace, with that namespace's ReferenceGrant. */
  private gatewayBackend(egw: IGatewayWorkload, port: number, routeKind: string): BackendReference {
    const [name, namespace] = this.gatewayHost(egw).split('.');
    const here = Chart.of(this).namespace ?? 'default';
    if (namespace === here) return { name, port };
    const kinds = this.grants.get(namespace) ?? new Set<string>();
    if (!kinds.has(routeKind)) {
      kinds.add(routeKind);
      this.grants.set(namespace, kinds);
      new ReferenceGrant(this, `ReferenceGrant-${namespace}-${routeKind}`, {
        metadata: { name: `${this.baseName}-${routeKind.toLowerCase()}s-from-${here}`, namespace },
        referrers: [{ group: 'gateway.networking.k8s.io', kind: routeKind, namespace: here }],
        targets: [{ group: '', kind: 'Service', name }],
      });
    }
    return { name, namespace, port };
  }

  /** A VirtualService bound to the mesh and to our egress Gateway; `gateways[1]` is the Gateway reference. */
  private chainThroughGateway(host: string, slug: string): VirtualService {
    this.model(host)._claimRouting(this, `routes ${show(host)} through the egress gateway with a VirtualService of its own`);
    const vs = new VirtualService(this, `VirtualService-${slug}`, {
      metadata: { name: `${slug}-via-egress` },
      hosts: [host],
      gateways: [GatewayReference.mesh(), GatewayReference.fromGateway(this._gateway!)],
    });
    this.virtualServiceRoutes.push(vs);
    return vs;
  }
}
