import { Construct } from 'constructs';
import { GatewayReference } from './gateway-reference';
import { HttpRoute } from './http-route';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { renderHttpRoute, renderTcpRoute, renderTlsRoute } from './rendering/routes';
import { TcpRoute, TlsRoute } from './tls-tcp-route';
import { checkArguments } from '../core/arguments';
import { fail } from '../core/errors';
import { checkHost } from '../core/names';

/** Props of a `VirtualService`. */
export interface VirtualServiceProps extends IstioResourceProps {
  /** Hosts this routing applies to (service names, FQDNs or gateway hostnames). */
  readonly hosts: string[];
  /**
   * Gateways (and/or `mesh`) the rules apply to.
   * @default - `mesh` only (sidecars)
   */
  readonly gateways?: GatewayReference[];
  /** HTTP rules, evaluated in order; first match wins. @default - none */
  readonly http?: HttpRoute[];
  /** TLS passthrough rules. @default - none */
  readonly tls?: TlsRoute[];
  /** TCP rules. @default - none */
  readonly tcp?: TcpRoute[];
  /** Namespaces this is visible to (`.` = own, `*` = all). @default - all */
  readonly exportTo?: string[];
}

/**
 * An Istio VirtualService (`networking.istio.io/v1`): routing rules for hosts.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class VirtualService extends IstioResource {
  private readonly _hosts: string[];
  private readonly _gateways: string[] = [];
  private readonly _http: any[] = [];
  private readonly _tls: any[] = [];
  private readonly _tcp: any[] = [];
  private readonly _exportTo?: string[];
  private _generated?: () => any[];

  constructor(scope: Construct, id: string, props: VirtualServiceProps) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' }, props);
    if (props.hosts.length === 0) {
      fail(this, 'hosts must name at least one host, e.g. [\'reviews.default.svc.cluster.local\'].');
    }
    this._hosts = props.hosts.map((h, i) => checkHost(this, `hosts[${i}]`, h));
    props.gateways?.forEach(g => this.addGateway(g));
    props.http?.forEach(r => this.addHttpRoute(r));
    props.tls?.forEach(r => this.addTlsRoute(r));
    props.tcp?.forEach(r => this.addTcpRoute(r));
    this._exportTo = props.exportTo;
  }

  /** The hosts (a copy). */
  public get hosts(): string[] {
    return [...this._hosts];
  }

  /** The gateway references as rendered (a copy). */
  public get gateways(): string[] {
    return [...this._gateways];
  }

  /** Binds the rules to one more gateway; returns its rendered reference. */
  public addGateway(gateway: GatewayReference): string {
    checkArguments(this, 'VirtualService', 'addGateway', arguments);
    const ref = gateway._render(this, `gateways[${this._gateways.length}]`);
    if (!this._gateways.includes(ref)) this._gateways.push(ref);
    return ref;
  }

  /**
   * Appends an HTTP rule (evaluated after the existing ones). On a VirtualService an
   * intent generates (a host's, an ingress host's), added rules go before the
   * generated ones, so they can match before its catch-all.
   */
  public addHttpRoute(route: HttpRoute): HttpRoute {
    checkArguments(this, 'VirtualService', 'addHttpRoute', arguments);
    this._http.push(renderHttpRoute(this, `http[${this._http.length}]`, route));
    return route;
  }

  /**
   * HTTP rules a traffic model generates (already rendered and checked). Rules
   * added with `addHttpRoute` are never replaced and come first, so they can
   * match before the generated catch-all. @internal
   */
  public _generateHttpRoutes(produce: () => any[]): void {
    this._generated = produce;
  }

  /** Appends a TLS rule. */
  public addTlsRoute(route: TlsRoute): TlsRoute {
    checkArguments(this, 'VirtualService', 'addTlsRoute', arguments);
    this._tls.push(renderTlsRoute(this, `tls[${this._tls.length}]`, route));
    return route;
  }

  /** Appends a TCP rule. */
  public addTcpRoute(route: TcpRoute): TcpRoute {
    checkArguments(this, 'VirtualService', 'addTcpRoute', arguments);
    this._tcp.push(renderTcpRoute(this, `tcp[${this._tcp.length}]`, route));
    return route;
  }

  private httpRules(): any[] {
    return this._generated ? [...this._http, ...this._generated()] : this._http;
  }

  /** @internal */
  protected _renderSpec(): any {
    return {
      hosts: this._hosts,
      gateways: this._gateways.length ? this._gateways : undefined,
      http: this.httpRules().length ? this.httpRules() : undefined,
      tls: this._tls.length ? this._tls : undefined,
      tcp: this._tcp.length ? this._tcp : undefined,
      exportTo: this._exportTo,
    };
  }
}
