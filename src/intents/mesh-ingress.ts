import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressHost, IngressHostOptions, IngressJwtOptions } from './ingress-host';
import { IngressPassthroughHost, IngressPassthroughOptions } from './ingress-passthrough-host';
import { ServiceReference } from './service-reference';
import { IstioDeployedGateway } from './traffic/istio-deployed-gateway';
import { checkArguments, checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { checkDns1123Label, checkDns1123Subdomain, checkHost, isDns1123Label, nameFromId } from '../core/names';
import { SUPPRESS_ANNOTATION } from '../core/suppression';
import { TrafficApi } from '../core/traffic-api';
import { UserInterface } from '../core/user-interface';
import { Gateway } from '../resources/gateway';
import { GatewayAddress, GatewayApiGateway } from '../resources/gateway-api/gateway-api-gateway';
import { ExternalGatewayWorkload, IGatewayWorkload } from '../resources/gateway-workload-reference';

/** How `MeshIngress.exposeUserInterfaces` serves web UIs. */
export interface UserInterfaceExposureOptions {
  /** Each UI is served at `<ui name>.<domain>`, e.g. `mesh.example.com` → `grafana.mesh.example.com`. */
  readonly domain: string;
  /** TLS Secret (in the gateway's namespace) valid for every UI host, e.g. a `*.mesh.example.com` certificate. */
  readonly credentialName: string;
  /** The tokens required to reach the UIs. */
  readonly jwt: IngressJwtOptions;
}

/** Props of a `MeshIngress`. */
export interface MeshIngressProps {
  /**
   * The gateway pods: an `IngressGateway` of this app, or
   * `ExternalGatewayWorkload.fromSelector(labels, namespace)` for pods deployed elsewhere.
   * With Gateway API, leave it out to have Istio deploy the pods for the Gateway (a
   * Deployment and Service `<name>-istio` in `namespace`, a port per listener).
   * @default - required with Istio's classic API; with Gateway API, Istio deploys them
   */
  readonly gateway?: IGatewayWorkload;
  /**
   * The namespace of the Gateway (and of the pods Istio deploys for it), when `gateway` is
   * left out; TLS Secrets of the hosts live there.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
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
  /** The Istio Gateway resource (Istio's classic API); undefined with Gateway API. */
  public readonly gateway?: Gateway;
  /** The Gateway API Gateway (with `TrafficApi.gatewayApi()`); undefined with Istio's classic API. */
  public readonly gatewayApiGateway?: GatewayApiGateway;
  /** The gateway pods this ingress runs on. */
  public readonly gatewayWorkload: IGatewayWorkload;
  private readonly hosts = new Map<string, IngressHost>();
  private readonly passthroughHosts = new Map<string, IngressPassthroughHost>();
  private readonly httpsRedirect: boolean;

  constructor(scope: Construct, id: string, props: MeshIngressProps = {}) {
    super(scope, id);
    checkProps(this, 'MeshIngress', props);
    reportChildErrorsAsOwn(this);
    if (props.gateway instanceof ExternalGatewayWorkload) props.gateway._check(this, 'gateway');
    this.httpsRedirect = props.httpsRedirect ?? true;
    const name = props.name ?? nameFromId(this.node.id);
    checkDns1123Subdomain(this, props.name !== undefined ? 'name' : `name (derived from the id ${show(this.node.id)}; set name to choose another)`, name);
    if (props.gateway && props.namespace !== undefined) {
      fail(this, `namespace ${show(props.namespace)} is for the pods Istio deploys when gateway is left out; the Gateway lives with its gateway pods, in ${show(props.gateway.namespace ?? '<chart namespace>')}. Drop one.`);
    }
    if (props.namespace !== undefined) checkDns1123Label(this, 'namespace', props.namespace);
    const api = TrafficApi.of(this);
    TrafficApi._markRendered(this);
    if (!props.gateway && !api.isGatewayApi) {
      fail(this, 'gateway is required with Istio\'s classic API (a Gateway selects existing gateway pods): pass an IngressGateway or ExternalGatewayWorkload. '
        + 'With Gateway API (TrafficApi.gatewayApi()) it may be left out, and Istio deploys the pods.');
    }
    const workload = props.gateway ?? new IstioDeployedGateway(name, props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.gatewayWorkload = workload;
    if (api.isGatewayApi) {
      let addresses: GatewayAddress[] | undefined;
      if (workload instanceof IstioDeployedGateway) {
        // Istio's automated deployment: the Gateway names no address; Istio makes <name>-istio.
        // Istio names the pods' Deployment and Service `<name>-istio`, and a Service name is a DNS-1035 label.
        if (workload.name.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(workload.name)) {
          fail(this, `name ${show(name)} cannot name the gateway Istio deploys: its Deployment and Service would be ${show(workload.name)}, and a Service name is `
            + 'at most 63 lowercase letters, digits and \'-\', starting with a letter. Choose another name.');
        }
      } else {
        // Istio's manual deployment: a Hostname address naming the gateway pods' Service binds the
        // Gateway to them (an IngressGateway of the app, or pods installed by Istio's gateway chart).
        if (!workload.serviceHost) {
          fail(this, `gateway '${workload.name}' has no known Service, and a Gateway API Gateway binds to gateway pods through it. `
            + 'Give ExternalGatewayWorkload.fromSelector its serviceName, use an IngressGateway of this app, or leave gateway out for pods Istio deploys.');
        }
        addresses = [{ type: 'Hostname', value: workload.serviceHost }];
      }
      this.gatewayApiGateway = new GatewayApiGateway(this, 'Gateway', { metadata: { name, namespace: workload.namespace }, addresses });
      this.node.defaultChild = this.gatewayApiGateway;
    } else {
      this.gateway = new Gateway(this, 'Gateway', {
        metadata: {
          name,
          namespace: workload.namespace,
          // Pods outside the app cannot be matched offline; their selector is the user's word.
          annotations: workload.managedByApp ? undefined : { [SUPPRESS_ANNOTATION]: 'IST0101' },
        },
        selector: workload.podLabels,
      });
      this.node.defaultChild = this.gateway;
    }
    this.node.addValidation({ validate: () => this.hosts.size + this.passthroughHosts.size === 0 ? ['MeshIngress has no hosts; call addHost() or addPassthroughHost().'] : [] });
  }

  /**
   * Serves a host (HTTPS with `credentialName`, or `httpOnly`); `*` serves every
   * host. Returns the host's handle, to which routes are added.
   */
  public addHost(host: string, options: IngressHostOptions = {}): IngressHost {
    checkArguments(this, 'MeshIngress', 'addHost', arguments);
    this.checkNewHost(host);
    const handle = IngressHost._create(this, {
      host,
      options,
      gateway: this.gateway,
      gatewayApiGateway: this.gatewayApiGateway,
      workload: this.gatewayWorkload,
      httpsRedirect: this.httpsRedirect,
    });
    this.hosts.set(host, handle);
    return handle;
  }

  /**
   * Passes TLS for `host` through to a service that terminates it itself (a
   * database, or a service with its own certificate): the gateway routes by
   * SNI and never decrypts. `host` may be a wildcard like `*.example.com`.
   */
  public addPassthroughHost(host: string, options: IngressPassthroughOptions): IngressPassthroughHost {
    checkArguments(this, 'MeshIngress', 'addPassthroughHost', arguments);
    this.checkNewHost(host);
    const handle = IngressPassthroughHost._create(this, IngressHost._slug(host), {
      host,
      options,
      gateway: this.gateway,
      gatewayApiGateway: this.gatewayApiGateway,
      workload: this.gatewayWorkload,
    });
    this.passthroughHosts.set(host, handle);
    return handle;
  }

  private checkNewHost(host: string): void {
    checkHost(this, 'host', host);
    if (this.hosts.has(host) || this.passthroughHosts.has(host)) fail(this, `host ${show(host)} is already added.`);
    const twin = [...this.hosts.keys(), ...this.passthroughHosts.keys()].find(h => IngressHost._slug(h) === IngressHost._slug(host));
    if (twin) {
      fail(this, `hosts ${show(twin)} and ${show(host)} would name the same Gateway servers and VirtualService (${show(IngressHost._slug(host))}); serve them from two MeshIngress constructs.`);
    }
  }

  /**
   * Serves each UI (e.g. `MeshObservability.userInterfaces`) on its own HTTPS host,
   * `<ui name>.<domain>`, with a valid JWT required at the gateway: none of these
   * UIs has a login of its own that should face the internet alone (Prometheus and
   * Jaeger have none). Returns the hosts' handles.
   */
  public exposeUserInterfaces(userInterfaces: UserInterface[], options: UserInterfaceExposureOptions): IngressHost[] {
    checkArguments(this, 'MeshIngress', 'exposeUserInterfaces', arguments);
    if (userInterfaces.length === 0) fail(this, 'exposeUserInterfaces: userInterfaces is empty; pass e.g. observability.userInterfaces.');
    checkHost(this, 'domain', options.domain, { allowWildcard: false });
    return userInterfaces.map((ui, i) => {
      if (!isDns1123Label(ui.name)) fail(this, `userInterfaces[${i}].name ${show(ui.name)} is not a DNS label; it becomes the host's first label.`);
      const host = this.addHost(`${ui.name}.${options.domain}`, { credentialName: options.credentialName, jwt: options.jwt });
      host.addRoute({ service: ServiceReference.fromHost(ui.serviceHost, ui.port) });
      return host;
    });
  }

  /** The handle of a host added earlier. */
  public host(host: string): IngressHost {
    checkArguments(this, 'MeshIngress', 'host', arguments);
    const found = this.hosts.get(host);
    if (!found) fail(this, `host ${show(host)} is not served; call addHost(${show(host)}, …) first.`);
    return found;
  }
}
