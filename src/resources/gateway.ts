import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IstioPort, PortProtocol } from './port';
import { renderIstioPort } from './rendering/port';
import { checkArguments } from '../core/arguments';
import { fail, show } from '../core/errors';
import { checkDns1123Label, checkHost, checkLabels } from '../core/names';

/** Server-side TLS modes of a gateway port. */
export enum ServerTlsMode {
  /** Forward TLS untouched, routed by SNI. */
  PASSTHROUGH = 'PASSTHROUGH',
  /** Terminate TLS with a server certificate. */
  SIMPLE = 'SIMPLE',
  /** Terminate TLS and require client certificates. */
  MUTUAL = 'MUTUAL',
  /** SNI passthrough for multi-cluster east-west (no VirtualService needed). */
  AUTO_PASSTHROUGH = 'AUTO_PASSTHROUGH',
  /** Mutual TLS with Istio certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
  /** Client certificate requested but optional. */
  OPTIONAL_MUTUAL = 'OPTIONAL_MUTUAL',
}

/** TLS protocol versions. */
export enum TlsVersion {
  /** Envoy's choice. */
  TLS_AUTO = 'TLS_AUTO',
  /** TLS 1.0 (needs explicit cipher suites). */
  TLSV1_0 = 'TLSV1_0',
  /** TLS 1.1 (needs explicit cipher suites). */
  TLSV1_1 = 'TLSV1_1',
  /** TLS 1.2. */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3. */
  TLSV1_3 = 'TLSV1_3',
}

/**
 * TLS settings of a gateway server.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export interface ServerTlsSettings {
  /** Send 301 redirects to HTTPS (HTTP servers only). @default false */
  readonly httpsRedirect?: boolean;
  /** TLS mode. @default - none (required for HTTPS/TLS servers) */
  readonly mode?: ServerTlsMode;
  /** Kubernetes Secret in the gateway workload's namespace holding the certificate. @default - none */
  readonly credentialName?: string;
  /** Up to two Secrets (e.g. RSA and ECDSA). @default - none */
  readonly credentialNames?: string[];
  /** Certificate file path (file-mounted certs). @default - none */
  readonly serverCertificate?: string;
  /** Key file path. @default - none */
  readonly privateKey?: string;
  /** CA bundle file for client certs. @default - none */
  readonly caCertificates?: string;
  /** Accepted client SANs. @default - none */
  readonly subjectAltNames?: string[];
  /** Minimum TLS version. @default - TLSV1_2 */
  readonly minProtocolVersion?: TlsVersion;
  /** Maximum TLS version. @default - TLSV1_3 */
  readonly maxProtocolVersion?: TlsVersion;
  /** Cipher suites. @default - Envoy defaults */
  readonly cipherSuites?: string[];
}

/** A port the gateway listens on, with the hosts it serves. */
export interface GatewayServer {
  /** Port, protocol and name. */
  readonly port: IstioPort;
  /** Hosts served, optionally `namespace/host` to restrict which VirtualServices bind. */
  readonly hosts: string[];
  /** TLS settings. @default - none */
  readonly tls?: ServerTlsSettings;
  /** IP to bind to. @default - all */
  readonly bind?: string;
  /** Server name (unique in the Gateway). @default - none */
  readonly name?: string;
}

/** Props of a `Gateway`. */
export interface GatewayProps extends IstioResourceProps {
  /** Labels of the gateway pods this configures, e.g. `{ istio: 'ingressgateway' }`. */
  readonly selector: { [key: string]: string };
  /** Servers. @default - none (add with addServer) */
  readonly servers?: GatewayServer[];
}

/**
 * An Istio Gateway (`networking.istio.io/v1`): ports, hosts and TLS of a gateway workload.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class Gateway extends IstioResource {
  private readonly _selector: { [key: string]: string };
  private readonly _servers: any[] = [];

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'Gateway' }, props);
    if (Object.keys(props.selector).length === 0) {
      fail(this, 'selector is empty, so the Gateway would configure every gateway pod. Give the gateway pod labels, e.g. { istio: \'ingressgateway\' }.');
    }
    checkLabels(this, 'selector', props.selector);
    this._selector = { ...props.selector };
    props.servers?.forEach(s => this.addServer(s));
    this.node.addValidation({ validate: () => this._servers.length === 0 ? [`${this.node.path}: Gateway has no servers; add one with addServer().`] : [] });
  }

  /** The gateway pod labels (a copy). */
  public get selector(): { [key: string]: string } {
    return { ...this._selector };
  }

  /** Hosts of all servers (a copy, without `namespace/` prefixes). */
  public get hosts(): string[] {
    return [...new Set(this._servers.flatMap(s => s.hosts.map((h: string) => h.includes('/') ? h.split('/')[1] : h)))];
  }

  /** Adds a server. */
  /**
   * Adds the hosts of `server` to a server of this Gateway with the same port and TLS
   * settings, if there is one; true when it did. Hosts that share a certificate must share a
   * server: browsers reuse one HTTP/2 connection for all names a certificate covers, and Istio
   * routes each server's connections with that server's routes only (a 404 for the others).
   * @internal
   */
  public _joinServer(server: GatewayServer): boolean {
    const same = this._servers.find(s => s.port.number === server.port.number && s.port.protocol === server.port.protocol
      && JSON.stringify(s.tls ?? null) === JSON.stringify(server.tls ? renderTls(server.tls) : null));
    if (!same) return false;
    server.hosts.forEach((h, i) => checkHost(this, `hosts[${i}]`, h));
    same.hosts.push(...server.hosts.filter(h => !same.hosts.includes(h)));
    return true;
  }

  public addServer(server: GatewayServer): GatewayServer {
    checkArguments(this, 'Gateway', 'addServer', arguments);
    const prop = `servers[${this._servers.length}]`;
    const port = renderIstioPort(this, `${prop}.port`, server.port);
    if (server.hosts.length === 0) fail(this, `${prop}.hosts must name at least one host (or '*').`);
    server.hosts.forEach((h, i) => {
      const slash = h.indexOf('/');
      if (slash >= 0) {
        const ns = h.slice(0, slash);
        if (ns !== '*' && ns !== '.' && ns !== '~') checkDns1123Label(this, `${prop}.hosts[${i}] namespace`, ns);
        checkHost(this, `${prop}.hosts[${i}]`, h.slice(slash + 1));
      } else {
        checkHost(this, `${prop}.hosts[${i}]`, h);
      }
    });
    const tls = server.tls;
    const protocol = server.port.protocol;
    const clash = this._servers.find(s => s.port.number === server.port.number && protocolFamily(s.port.protocol) !== protocolFamily(protocol));
    if (clash) {
      fail(this, `${prop} (${protocol}) shares port ${server.port.number} with a ${clash.port.protocol} server; one port carries one kind of traffic `
        + '(HTTPS and TLS servers may share one, told apart by SNI). Use another port.');
    }
    if (tls?.httpsRedirect && protocol !== PortProtocol.HTTP) {
      fail(this, `${prop}.tls.httpsRedirect is only valid on an HTTP server, but port ${server.port.number} is ${protocol}. Put the redirect on the port-80 HTTP server.`);
    }
    if ((protocol === PortProtocol.HTTPS || protocol === PortProtocol.TLS) && !tls?.mode) {
      fail(this, `${prop} is ${protocol} but has no tls.mode. Set tls: { mode: ServerTlsMode.SIMPLE, credentialName: '<secret>' } (or PASSTHROUGH).`);
    }
    const terminates = tls?.mode === ServerTlsMode.SIMPLE || tls?.mode === ServerTlsMode.MUTUAL || tls?.mode === ServerTlsMode.OPTIONAL_MUTUAL;
    if (terminates && !tls?.credentialName && !tls?.credentialNames?.length && !(tls?.serverCertificate && tls?.privateKey)) {
      fail(this, `${prop}.tls mode ${tls?.mode} needs a certificate: set credentialName to a TLS Secret in the gateway's namespace (or serverCertificate and privateKey).`);
    }
    if ((tls?.credentialNames?.length ?? 0) > 2) {
      fail(this, `${prop}.tls.credentialNames has ${tls?.credentialNames?.length} entries; Istio accepts at most two (e.g. RSA and ECDSA).`);
    }
    const old = [TlsVersion.TLSV1_0, TlsVersion.TLSV1_1];
    if (tls?.minProtocolVersion && old.includes(tls.minProtocolVersion) && !tls.cipherSuites?.length) {
      fail(this, `${prop}.tls.minProtocolVersion ${tls.minProtocolVersion} is below TLS 1.2 and needs explicit cipherSuites; set them or use TLSV1_2.`);
    }
    if (server.name !== undefined && this._servers.some(s => s.name === server.name)) {
      fail(this, `${prop}.name ${show(server.name)} is already used by another server of this Gateway.`);
    }
    this._servers.push({
      port,
      hosts: [...server.hosts],
      bind: server.bind,
      name: server.name,
      tls: tls && renderTls(tls),
    });
    return server;
  }

  /** @internal */
  protected _renderSpec(): any {
    return { selector: this._selector, servers: this._servers };
  }
}

function renderTls(tls: ServerTlsSettings): any {
  return {
    httpsRedirect: tls.httpsRedirect,
    mode: tls.mode,
    credentialName: tls.credentialName,
    credentialNames: tls.credentialNames,
    serverCertificate: tls.serverCertificate,
    privateKey: tls.privateKey,
    caCertificates: tls.caCertificates,
    subjectAltNames: tls.subjectAltNames,
    minProtocolVersion: tls.minProtocolVersion,
    maxProtocolVersion: tls.maxProtocolVersion,
    cipherSuites: tls.cipherSuites,
  };
}

/** Servers of one port must agree on how it is read: as HTTP, as TLS told apart by SNI, or as one other protocol. */
function protocolFamily(protocol: string): string {
  const p = protocol.toUpperCase();
  if (['HTTP', 'HTTP2', 'GRPC'].includes(p)) return 'HTTP';
  if (['HTTPS', 'TLS'].includes(p)) return 'TLS';
  return p;
}
