import { Construct } from 'constructs';
import { SecretReference } from './references';
import { checkArguments } from '../../core/arguments';
import { fail, show } from '../../core/errors';
import { checkHost, checkLabels, isDns1123Subdomain } from '../../core/names';
import { checkPort } from '../../core/percent';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { renderSecretRef } from '../rendering/gateway-api-references';

/** The protocol a listener accepts. */
export enum ListenerProtocol {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS, terminated at the gateway. */
  HTTPS = 'HTTPS',
  /** TLS, terminated or passed through (TLSRoute). */
  TLS = 'TLS',
  /** Plain TCP. */
  TCP = 'TCP',
  /** Istio's HTTP-based overlay (mTLS tunnels on 15008): a waypoint's listener. */
  HBONE = 'HBONE',
}

/** What the gateway does with TLS. */
export enum ListenerTlsMode {
  /** Terminate with the listener's certificates. */
  TERMINATE = 'Terminate',
  /** Pass the stream through, routed by SNI. */
  PASSTHROUGH = 'Passthrough',
}

/** Which namespaces' routes may attach to a listener. */
export enum RouteNamespaces {
  /** The Gateway's own. */
  SAME = 'Same',
  /** Any namespace. */
  ALL = 'All',
  /** Namespaces whose labels match `namespaceLabels`. */
  SELECTOR = 'Selector',
}

/** TLS of a listener. */
export interface ListenerTls {
  /** Terminate or pass through. @default TERMINATE */
  readonly mode?: ListenerTlsMode;
  /** Certificates (TERMINATE). @default - none */
  readonly certificateRefs?: SecretReference[];
  /**
   * Implementation options, e.g. Istio's `gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL`
   * (terminate the mesh's own mutual TLS, as an egress gateway does; no certificate needed).
   * @default - none
   */
  readonly options?: { [key: string]: string };
}

/** One listener of a Gateway. */
export interface GatewayListener {
  /** Name (unique in the Gateway); routes name it in `sectionName`. */
  readonly name: string;
  /** Port. */
  readonly port: number;
  /** Protocol. */
  readonly protocol: ListenerProtocol;
  /** Host the listener serves. @default - every host */
  readonly hostname?: string;
  /** TLS settings (HTTPS and TLS listeners). @default - none */
  readonly tls?: ListenerTls;
  /** Namespaces whose routes may attach. @default SAME */
  readonly routeNamespaces?: RouteNamespaces;
  /** Labels of those namespaces (SELECTOR). @default - none */
  readonly namespaceLabels?: { [key: string]: string };
}

/** An address the Gateway is reached at. */
export interface GatewayAddress {
  /** 'Hostname' (e.g. an existing gateway Service's FQDN) or 'IPAddress'. @default 'IPAddress' */
  readonly type?: string;
  /** The address. */
  readonly value: string;
}

/** Props of a `GatewayApiGateway`. */
export interface GatewayApiGatewayProps extends IstioResourceProps {
  /** The GatewayClass. @default 'istio' */
  readonly gatewayClassName?: string;
  /** Listeners (more with addListener()). @default - none */
  readonly listeners?: GatewayListener[];
  /**
   * Addresses. With Istio, a `Hostname` address naming an existing gateway Service binds
   * the Gateway to those gateway pods (manual deployment) instead of Istio deploying one.
   * @default - Istio deploys a gateway for it
   */
  readonly addresses?: GatewayAddress[];
}

/**
 * A Kubernetes Gateway API `Gateway` (`gateway.networking.k8s.io/v1`).
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#gateway
 *
 * @example
 * declare const chart: Chart;
 *
 * new GatewayApiGateway(chart, 'public', {
 *   listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: 'shop.example.com',
 *     tls: { certificateRefs: [{ name: 'shop-cert' }] } }],
 * });
 */
export class GatewayApiGateway extends IstioResource {
  private readonly listeners: any[] = [];
  private readonly gatewayProps: GatewayApiGatewayProps;

  constructor(scope: Construct, id: string, props: GatewayApiGatewayProps = {}) {
    super(scope, id, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' }, props, 'GatewayApiGateway');
    this.gatewayProps = props;
    if (props.gatewayClassName !== undefined && !isDns1123Subdomain(props.gatewayClassName)) {
      fail(this, `gatewayClassName ${show(props.gatewayClassName)} is not a valid name (a DNS subdomain such as 'istio').`);
    }
    props.addresses?.forEach((a, i) => {
      if (a.type !== undefined && !['Hostname', 'IPAddress'].includes(a.type)) fail(this, `addresses[${i}].type must be 'Hostname' or 'IPAddress', got ${show(a.type)}.`);
      if (a.type === 'Hostname') checkHost(this, `addresses[${i}].value`, a.value, { allowWildcard: false });
    });
    props.listeners?.forEach(l => this.addListener(l));
    this.node.addValidation({ validate: () => this.listeners.length ? [] : [`${this.node.path}: Gateway has no listeners; add one with addListener().`] });
  }

  /** Names of the listeners so far. */
  public get listenerNames(): string[] {
    return this.listeners.map(l => l.name);
  }

  /** Adds a listener. */
  public addListener(listener: GatewayListener): void {
    checkArguments(this, 'GatewayApiGateway', 'addListener', arguments);
    const prop = `listeners[${this.listeners.length}]`;
    if (!isDns1123Subdomain(listener.name)) fail(this, `${prop}.name ${show(listener.name)} is not a valid section name (lowercase letters, digits, '-', '.').`);
    if (this.listeners.some(l => l.name === listener.name)) fail(this, `${prop}.name ${show(listener.name)} is already a listener of this Gateway.`);
    checkPort(this, `${prop}.port`, listener.port);
    if (listener.hostname !== undefined) checkHost(this, `${prop}.hostname`, listener.hostname);
    const tls = listener.tls;
    const mode = tls?.mode ?? ListenerTlsMode.TERMINATE;
    if (listener.protocol === ListenerProtocol.HTTPS && mode !== ListenerTlsMode.TERMINATE) {
      fail(this, `${prop} is HTTPS, which terminates TLS; pass-through needs protocol TLS (with a TLSRoute).`);
    }
    const terminates = listener.protocol === ListenerProtocol.HTTPS
      || (listener.protocol === ListenerProtocol.TLS && mode === ListenerTlsMode.TERMINATE);
    // Istio's own certificates: the mesh's mutual TLS (ISTIO_MUTUAL) or its workload certificate (ISTIO_SIMPLE).
    const istioCert = ['ISTIO_MUTUAL', 'ISTIO_SIMPLE'].includes(tls?.options?.['gateway.istio.io/tls-terminate-mode'] ?? '');
    if (istioCert && !terminates) fail(this, `${prop}: tls.options sets an Istio terminate mode, but the listener does not terminate TLS (Istio ignores it).`);
    const shared = this.listeners.find(l => l.port === listener.port && !compatibleOnOnePort(l.protocol, listener.protocol));
    if (shared) {
      fail(this, `${prop} (${listener.protocol}) shares port ${listener.port} with listener ${show(shared.name)} (${shared.protocol}); one port carries one kind of traffic `
        + '(HTTPS and TLS listeners may share one, told apart by hostname). Use another port.');
    }
    if (terminates && !tls?.certificateRefs?.length && !istioCert) {
      fail(this, `${prop} terminates TLS but names no certificate: set tls.certificateRefs to a TLS Secret (or, for the mesh's own mutual TLS, tls.options { 'gateway.istio.io/tls-terminate-mode': 'ISTIO_MUTUAL' }).`);
    }
    if (tls && (listener.protocol === ListenerProtocol.HTTP || listener.protocol === ListenerProtocol.TCP)) {
      fail(this, `${prop} is ${listener.protocol}, which carries no TLS; remove tls or use HTTPS/TLS.`);
    }
    if (listener.routeNamespaces === RouteNamespaces.SELECTOR && !listener.namespaceLabels) {
      fail(this, `${prop}.routeNamespaces is SELECTOR but namespaceLabels is unset; name the labels of the namespaces allowed.`);
    }
    checkLabels(this, `${prop}.namespaceLabels`, listener.namespaceLabels);
    const from = listener.routeNamespaces;
    this.listeners.push({
      name: listener.name,
      hostname: listener.hostname,
      port: listener.port,
      protocol: listener.protocol,
      tls: tls && {
        mode: tls.mode,
        certificateRefs: tls.certificateRefs?.map((c, i) => renderSecretRef(this, `${prop}.tls.certificateRefs[${i}]`, c)),
        options: tls.options && { ...tls.options },
      },
      allowedRoutes: from && { namespaces: { from, selector: listener.namespaceLabels && { matchLabels: { ...listener.namespaceLabels } } } },
    });
  }

  /** @internal */
  protected _renderSpec(): any {
    return {
      gatewayClassName: this.gatewayProps.gatewayClassName ?? 'istio',
      addresses: this.gatewayProps.addresses?.map(a => ({ type: a.type, value: a.value })),
      listeners: this.listeners,
    };
  }
}

/** Gateway API's listener compatibility: one protocol per port, except HTTPS and TLS, which SNI tells apart. */
function compatibleOnOnePort(a: ListenerProtocol, b: ListenerProtocol): boolean {
  const sni = [ListenerProtocol.HTTPS, ListenerProtocol.TLS];
  return a === b || (sni.includes(a) && sni.includes(b));
}
