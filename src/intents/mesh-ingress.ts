import { Construct } from 'constructs';
import { IngressHost, IngressHostOptions } from './ingress-host';
import { checkArguments, checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { checkDns1123Subdomain, checkHost, nameFromId } from '../core/names';
import { SUPPRESS_ANNOTATION } from '../core/suppression';
import { Gateway } from '../resources/gateway';
import { ExternalGatewayWorkload, IGatewayWorkload } from '../resources/gateway-workload-reference';

/** Props of a `MeshIngress`. */
export interface MeshIngressProps {
  /**
   * The gateway pods: an `IngressGateway` of this app, or
   * `ExternalGatewayWorkload.fromSelector(labels, namespace)` for pods deployed elsewhere.
   */
  readonly gateway: IGatewayWorkload;
  /** Redirect HTTP to HTTPS for TLS hosts. Turn off only if something else redirects. @default true */
  readonly httpsRedirect?: boolean;
  /** Name of the Gateway object. @default - derived from the construct id */
  readonly name?: string;
}

/**
 * Exposes services through an ingress gateway: one Gateway with an HTTPS
 * server per host (credentialName), an HTTP server redirecting to HTTPS, and a
 * VirtualService per host whose routes are added through the host's handle.
 * A route to a service that has a `CanaryRelease`, `FaultInjection` or
 * `ServiceResilience` carries that service's routing, so gateway traffic is
 * split, faulted and timed out like mesh traffic.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/secure-ingress/
 *
 * @example
 * declare const chart: Chart;
 * declare const gateway: IngressGateway;
 * declare const web: kplus.Service;
 *
 * const ingress = new MeshIngress(chart, 'public', { gateway });
 * ingress.addHost('shop.example.com', { credentialName: 'shop-cert' })
 *   .addRoute({ service: ServiceReference.fromService(web) });
 */
export class MeshIngress extends Construct {
  /** The Gateway resource. */
  public readonly gateway: Gateway;
  /** The gateway pods this ingress runs on. */
  public readonly gatewayWorkload: IGatewayWorkload;
  private readonly hosts = new Map<string, IngressHost>();
  private readonly httpsRedirect: boolean;

  constructor(scope: Construct, id: string, props: MeshIngressProps) {
    super(scope, id);
    checkProps(this, 'MeshIngress', props);
    reportChildErrorsAsOwn(this);
    this.gatewayWorkload = props.gateway;
    if (props.gateway instanceof ExternalGatewayWorkload) props.gateway._check(this, 'gateway');
    this.httpsRedirect = props.httpsRedirect ?? true;
    const name = props.name ?? nameFromId(this.node.id);
    checkDns1123Subdomain(this, props.name !== undefined ? 'name' : `name (derived from the id ${show(this.node.id)}; set name to choose another)`, name);
    this.gateway = new Gateway(this, 'Gateway', {
      metadata: {
        name,
        namespace: props.gateway.namespace,
        // Pods outside the app cannot be matched offline; their selector is the user's word.
        annotations: props.gateway.managedByApp ? undefined : { [SUPPRESS_ANNOTATION]: 'IST0101' },
      },
      selector: props.gateway.podLabels,
    });
    this.node.defaultChild = this.gateway;
    this.node.addValidation({ validate: () => this.hosts.size === 0 ? ['MeshIngress has no hosts; call addHost().'] : [] });
  }

  /**
   * Serves a host (HTTPS with `credentialName`, or `httpOnly`); `*` serves every
   * host. Returns the host's handle, to which routes are added.
   */
  public addHost(host: string, options: IngressHostOptions = {}): IngressHost {
    checkArguments(this, 'MeshIngress', 'addHost', arguments);
    checkHost(this, 'host', host);
    if (this.hosts.has(host)) fail(this, `host ${show(host)} is already added.`);
    const twin = [...this.hosts.keys()].find(h => IngressHost._slug(h) === IngressHost._slug(host));
    if (twin) {
      fail(this, `hosts ${show(twin)} and ${show(host)} would name the same Gateway servers and VirtualService (${show(IngressHost._slug(host))}); serve them from two MeshIngress constructs.`);
    }
    const handle = IngressHost._create(this, {
      host,
      options,
      gateway: this.gateway,
      workload: this.gatewayWorkload,
      httpsRedirect: this.httpsRedirect,
    });
    this.hosts.set(host, handle);
    return handle;
  }

  /** The handle of a host added earlier. */
  public host(host: string): IngressHost {
    checkArguments(this, 'MeshIngress', 'host', arguments);
    const found = this.hosts.get(host);
    if (!found) fail(this, `host ${show(host)} is not served; call addHost(${show(host)}, …) first.`);
    return found;
  }
}
