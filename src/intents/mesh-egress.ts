import { Construct } from 'constructs';
import { fail, show } from '../core/errors';
import { checkHost } from '../core/names';
import { checkPort } from '../core/percent';
import { EgressGateway } from '../install/gateway-workload';
import { DestinationRule } from '../resources/destination-rule';
import { Gateway, ServerTlsMode } from '../resources/gateway';
import { GatewayReference } from '../resources/gateway-reference';
import { PortProtocol } from '../resources/port';
import { ServiceEntry } from '../resources/service-entry';
import { OutboundTrafficMode, Sidecar } from '../resources/sidecar';
import { ClientTlsMode } from '../resources/traffic-policy';
import { VirtualService } from '../resources/virtual-service';

/** One external host the mesh may call. */
export interface ExternalHostOptions {
  /** DNS name, e.g. `api.example.com`. */
  readonly host: string;
  /** HTTPS port of the host. @default 443 */
  readonly port?: number;
  /**
   * Let applications speak plain HTTP on port 80 and have the proxy
   * originate TLS to the host (so Istio can see and route HTTP).
   * Not combinable with an egress gateway here. @default false (TLS passthrough)
   */
  readonly originateTls?: boolean;
}

/** Props of a `MeshEgress`. */
export interface MeshEgressProps {
  /** Route external TLS traffic through this egress gateway (SNI passthrough). @default - direct from the sidecars */
  readonly egressGateway?: EgressGateway;
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
 */
export class MeshEgress extends Construct {
  private readonly egressGateway?: EgressGateway;
  private gateway?: Gateway;
  private readonly hosts = new Set<string>();

  constructor(scope: Construct, id: string, props: MeshEgressProps = {}) {
    super(scope, id);
    this.egressGateway = props.egressGateway;
    if (props.registryOnly) {
      new Sidecar(this, 'RegistryOnly', { metadata: { name: 'default' }, outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    }
    this.node.addValidation({ validate: () => this.hosts.size === 0 ? [`${this.node.path}: MeshEgress has no external hosts; call addExternalHost().`] : [] });
  }

  /** Registers an external host; returns its ServiceEntry. */
  public addExternalHost(options: ExternalHostOptions): ServiceEntry {
    const host = checkHost(this, 'host', options.host, { allowWildcard: false });
    const port = checkPort(this, 'port', options.port) ?? 443;
    if (this.hosts.has(host)) fail(this, `host ${show(host)} is already registered.`);
    this.hosts.add(host);
    const slug = host.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
    if (options.originateTls) {
      if (this.egressGateway) fail(this, `originateTls for ${show(host)} is not supported together with an egress gateway; use TLS passthrough or drop the gateway.`);
      const se = new ServiceEntry(this, `ServiceEntry-${slug}`, {
        metadata: { name: slug },
        hosts: [host],
        ports: [{ number: 80, protocol: PortProtocol.HTTP, name: 'http', targetPort: port }],
      });
      new DestinationRule(this, `DestinationRule-${slug}`, {
        metadata: { name: slug },
        host,
        trafficPolicy: { portLevelSettings: [{ port: 80, tls: { mode: ClientTlsMode.SIMPLE, sni: host } }] },
      });
      return se;
    }
    const se = new ServiceEntry(this, `ServiceEntry-${slug}`, {
      metadata: { name: slug },
      hosts: [host],
      ports: [{ number: port, protocol: PortProtocol.TLS, name: 'tls' }],
    });
    if (this.egressGateway) this.routeThroughGateway(host, port, slug);
    return se;
  }

  private routeThroughGateway(host: string, port: number, slug: string): void {
    const egw = this.egressGateway!;
    if (!egw.hasServicePort(port)) fail(this, `egress gateway '${egw.name}' exposes no Service port ${port}; add it to the gateway.`);
    if (!this.gateway) {
      this.gateway = new Gateway(this, 'Gateway', {
        metadata: { name: 'egress', namespace: egw.namespace },
        selector: egw.podLabels,
      });
    }
    this.gateway.addServer({ name: `tls-${slug}`, port: { number: port, protocol: PortProtocol.TLS, name: `tls-${slug}` }, hosts: [host], tls: { mode: ServerTlsMode.PASSTHROUGH } });
    const egwHost = `${egw.name}.${egw.namespace ?? 'default'}.svc.cluster.local`;
    const gwRef = GatewayReference.fromGateway(this.gateway);
    const vs = new VirtualService(this, `VirtualService-${slug}`, {
      metadata: { name: `${slug}-via-egress` },
      hosts: [host],
      gateways: [GatewayReference.mesh(), gwRef],
    });
    const gwName = vs.gateways[1];
    vs.addTlsRoute({ match: [{ gateways: ['mesh'], port, sniHosts: [host] }], route: [{ destination: { host: egwHost, port } }] });
    vs.addTlsRoute({ match: [{ gateways: [gwName], port, sniHosts: [host] }], route: [{ destination: { host, port } }] });
  }
}
