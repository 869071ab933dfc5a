import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MeshService } from './mesh-service';
import { ServiceReference } from './service-reference';
import { admitRoutesFrom, serviceOfHost } from './traffic/gateway-api-routes';
import { gatewayVia } from './traffic/gateway-via';
import { describe, fail, show } from '../core/errors';
import { promise } from '../core/expectations';
import { checkPort } from '../core/percent';
import { TrafficApi } from '../core/traffic-api';
import { Gateway, ServerTlsMode } from '../resources/gateway';
import { GatewayApiGateway, ListenerProtocol, ListenerTlsMode } from '../resources/gateway-api/gateway-api-gateway';
import { GatewayApiTlsRoute } from '../resources/gateway-api/gateway-api-tls-route';
import { ReferenceGrant } from '../resources/gateway-api/reference-grant';
import { GatewayReference } from '../resources/gateway-reference';
import { IGatewayWorkload } from '../resources/gateway-workload-reference';
import { PortProtocol } from '../resources/port';
import { VirtualService } from '../resources/virtual-service';

/** How a TLS passthrough host is served. */
export interface IngressPassthroughOptions {
  /**
   * The service the TLS connections go to, with the port that speaks TLS
   * (`ServiceReference.fromService(db, 5432)`); it terminates TLS itself.
   */
  readonly service: ServiceReference;
  /** The gateway port the host's TLS is accepted on. @default 443 */
  readonly port?: number;
}

/** @internal */
export interface IngressPassthroughHostProps {
  readonly host: string;
  readonly options: IngressPassthroughOptions;
  readonly gateway?: Gateway;
  readonly gatewayApiGateway?: GatewayApiGateway;
  readonly workload: IGatewayWorkload;
}

/**
 * A host whose TLS a `MeshIngress` passes through untouched (returned by
 * `addPassthroughHost()`): the gateway reads only the SNI and forwards the
 * stream to one service, which holds the certificate. Classic API: a
 * PASSTHROUGH server and a VirtualService `tls` route; Gateway API: a TLS
 * listener in Passthrough mode and a `TLSRoute`.
 *
 * The gateway never sees HTTP, so the service's HTTP routing (a canary split,
 * faults, timeouts) cannot apply to these connections: that is an error.
 *
 * @example
 * declare const ingress: MeshIngress;
 * declare const db: kplus.Service;
 *
 * ingress.addPassthroughHost('db.example.com', { service: ServiceReference.fromService(db, 5432) });
 */
export class IngressPassthroughHost extends Construct {
  /**
   * The hosts passed through on `port` of the gateway Service of `workload`'s pods, in the
   * whole app (any MeshIngress on the same pods). @internal
   */
  public static _hostsOn(scope: IConstruct, workload: IGatewayWorkload, port: number): string[] {
    const labels = (w: IGatewayWorkload) => JSON.stringify(sorted(w.podLabels));
    const samePods = (w: IGatewayWorkload) => w.namespace === workload.namespace && labels(w) === labels(workload);
    return scope.node.root.node.findAll()
      .filter((c): c is IngressPassthroughHost => c instanceof IngressPassthroughHost && c.port === port && samePods(c.gatewayWorkload))
      .map(h => h.host);
  }

  /** @internal */
  public static _create(scope: Construct, slug: string, props: IngressPassthroughHostProps): IngressPassthroughHost {
    return new IngressPassthroughHost(scope, `PassthroughHost-${slug}`, slug, props);
  }

  /** The SNI name served, e.g. `'db.example.com'` or `'*.db.example.com'`. */
  public readonly host: string;
  /** The gateway Service port the TLS is accepted on. */
  public readonly port: number;
  /** The service's FQDN. */
  public readonly serviceHost: string;
  /** The service port the stream reaches. */
  public readonly servicePort: number;
  /** The gateway pods passing it through. */
  public readonly gatewayWorkload: IGatewayWorkload;
  /** The VirtualService with the `tls` route (Istio's classic API). */
  public readonly virtualService?: VirtualService;
  /** The TLSRoute (Gateway API). */
  public readonly tlsRoute?: GatewayApiTlsRoute;

  private constructor(scope: Construct, id: string, slug: string, props: IngressPassthroughHostProps) {
    super(scope, id);
    const { host, options, workload } = props;
    if (host === '*') fail(this, 'a passthrough host is routed by the SNI its clients send: name it (a wildcard such as \'*.example.com\' is fine), not \'*\'.');
    this.host = host;
    this.gatewayWorkload = workload;
    this.port = checkPort(this, 'port', options.port) ?? 443;
    if (!workload.hasServicePort(this.port)) {
      fail(this, `gateway '${workload.name}' exposes no Service port ${this.port}, which this Gateway listens on (IST0162). Add the port to the gateway, or set port.`);
    }
    const resolved = options.service._resolve(this);
    const servicePort = resolved.port ?? (resolved.ports?.length === 1 ? resolved.ports[0] : undefined);
    if (servicePort === undefined) {
      fail(this, `service ${show(resolved.host)}: name the port that speaks TLS (ServiceReference.fromService(service, port) or fromHost(host, port)).`);
    }
    this.serviceHost = resolved.host;
    this.servicePort = servicePort;
    // Checked at synth: an intent may route the service after this host is added.
    this.node.addValidation({
      validate: () => {
        const router = MeshService._find(this, resolved.host)?._router;
        return router ? [`IngressPassthroughHost '${this.node.path}': ${show(resolved.host)} has HTTP routing (${describe(router)}), which the gateway cannot apply to TLS it passes through untouched. `
          + 'Terminate TLS at the gateway (addHost with a credentialName) to route it, or remove the routing.'] : [];
      },
    });
    const name = `tls-${slug}`;
    TrafficApi._markRendered(this);
    if (props.gatewayApiGateway) {
      const gw = props.gatewayApiGateway;
      const routeNs = Chart.of(this).namespace ?? 'default';
      const gwNs = gw.namespace ?? 'default';
      gw.addListener({
        name,
        port: this.port,
        protocol: ListenerProtocol.TLS,
        hostname: host,
        tls: { mode: ListenerTlsMode.PASSTHROUGH },
        ...admitRoutesFrom(routeNs, gwNs),
      });
      const backend = serviceOfHost(this, resolved.host, routeNs);
      this.tlsRoute = new GatewayApiTlsRoute(this, 'TLSRoute', {
        metadata: { name: `${gw.name}-${slug}`.slice(0, 253) },
        parentRefs: [{ name: gw.name, namespace: gwNs !== routeNs ? gwNs : undefined, sectionName: name }],
        hostnames: [host],
        backendRefs: [{ name: backend.name, namespace: backend.namespace !== routeNs ? backend.namespace : undefined, port: servicePort }],
      });
      if (backend.namespace !== undefined && backend.namespace !== routeNs) {
        new ReferenceGrant(this, `ReferenceGrant-${backend.namespace}`, {
          metadata: { name: `${slug}-from-${routeNs}`.slice(0, 253), namespace: backend.namespace },
          referrers: [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute', namespace: routeNs }],
          targets: [{ group: '', kind: 'Service', name: backend.name }],
        });
      }
      this.node.defaultChild = this.tlsRoute;
    } else {
      const gateway = props.gateway!;
      const port = { number: this.port, protocol: PortProtocol.TLS, name };
      gateway.addServer({ name, port, hosts: [host], tls: { mode: ServerTlsMode.PASSTHROUGH } });
      this.virtualService = new VirtualService(this, 'VirtualService', {
        metadata: { name: `${gateway.name}-${slug}`.slice(0, 253) },
        hosts: [host],
        gateways: [GatewayReference.fromGateway(gateway)],
        tls: [{ match: [{ port: this.port, sniHosts: [host] }], route: [{ destination: { host: resolved.host, port: servicePort } }] }],
      });
      this.virtualService.addDependency(gateway);
      this.node.defaultChild = this.virtualService;
    }
    promise(this, () => {
      const via = gatewayVia(workload, [this.port]);
      if (!via) return [];
      const sni = host.replace(/^\*\./, 'semantics.');
      return [{
        promise: `TLS for ${sni} on port ${this.port} passes through the gateway untouched and arrives at ${resolved.host}`,
        request: { via, host: sni, port: this.port, tls: true },
        expect: { host: resolved.host, delivered: true },
      }];
    });
  }
}

function sorted(labels: { [key: string]: string }): Array<[string, string]> {
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
}
