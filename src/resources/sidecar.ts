import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IstioPort } from './port';
import { renderIstioPort } from './rendering/port';
import { fail } from '../core/errors';
import { WorkloadSelector } from '../core/workload-selector';

/** Outbound traffic policy. */
export enum OutboundTrafficMode {
  /** Only services in the registry are reachable. */
  REGISTRY_ONLY = 'REGISTRY_ONLY',
  /** Unknown destinations pass through. */
  ALLOW_ANY = 'ALLOW_ANY',
}

/** How traffic is captured. */
export enum CaptureMode {
  /** Mesh default. */
  DEFAULT = 'DEFAULT',
  /** iptables redirect. */
  IPTABLES = 'IPTABLES',
  /** No capture; the app talks to the listener directly. */
  NONE = 'NONE',
}

/** An inbound listener. */
export interface SidecarIngressListener {
  /** The port. */
  readonly port: IstioPort;
  /** Where to forward: `127.0.0.1:PORT`, `0.0.0.0:PORT` or a unix socket. @default - the workload */
  readonly defaultEndpoint?: string;
  /** Bind address. @default - all */
  readonly bind?: string;
  /** Capture mode. @default DEFAULT */
  readonly captureMode?: CaptureMode;
}

/** An outbound listener and the hosts it may reach. */
export interface SidecarEgressListener {
  /** Hosts in `namespace/dnsName` form (`./*`, `istio-system/*`). */
  readonly hosts: string[];
  /** Port. @default - all ports */
  readonly port?: IstioPort;
  /** Bind address. @default - all */
  readonly bind?: string;
  /** Capture mode. @default DEFAULT */
  readonly captureMode?: CaptureMode;
}

/** Props of a `Sidecar`. */
export interface SidecarProps extends IstioResourceProps {
  /** Workloads this applies to. @default - the whole namespace (only one such Sidecar per namespace) */
  readonly workloadSelector?: WorkloadSelector;
  /** Inbound listeners. @default - from the service ports */
  readonly ingress?: SidecarIngressListener[];
  /** Outbound listeners; limits what the proxy knows about. @default - everything */
  readonly egress?: SidecarEgressListener[];
  /** Outbound traffic policy. @default - mesh default */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
}

/**
 * An Istio Sidecar (`networking.istio.io/v1`): scope of a proxy's configuration.
 * @see https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export class Sidecar extends IstioResource {
  private readonly _spec: any;

  constructor(scope: Construct, id: string, props: SidecarProps = {}) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar' }, props);
    const seenHosts = new Set<string>();
    this._spec = {
      workloadSelector: props.workloadSelector && { labels: props.workloadSelector._render(this, 'workloadSelector') },
      ingress: props.ingress?.map((l, i) => ({
        port: renderIstioPort(this, `ingress[${i}].port`, l.port),
        defaultEndpoint: l.defaultEndpoint,
        bind: l.bind,
        captureMode: l.captureMode,
      })),
      egress: props.egress?.map((l, i) => {
        if (l.hosts.length === 0) fail(this, `egress[${i}].hosts must list at least one 'namespace/host', e.g. './*'.`);
        l.hosts.forEach((h, j) => {
          if (!h.includes('/')) fail(this, `egress[${i}].hosts[${j}] must be in 'namespace/host' form (e.g. './*' or 'istio-system/*'), got '${h}'.`);
          const key = `${l.port?.number ?? '*'}|${h}`;
          if (seenHosts.has(key)) fail(this, `egress[${i}].hosts[${j}] '${h}' is duplicated; remove the repeat.`);
          seenHosts.add(key);
        });
        return { hosts: [...l.hosts], port: l.port && renderIstioPort(this, `egress[${i}].port`, l.port), bind: l.bind, captureMode: l.captureMode };
      }),
      outboundTrafficPolicy: props.outboundTrafficPolicy && { mode: props.outboundTrafficPolicy },
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this._spec;
  }
}
