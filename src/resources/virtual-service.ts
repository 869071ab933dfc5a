import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GatewayReference } from './gateway-reference';
import { HttpRoute } from './http-route';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { renderHttpRoute, renderTcpRoute, renderTlsRoute } from './rendering/routes';
import { TcpRoute, TlsRoute } from './tls-tcp-route';
import { checkArguments } from '../core/arguments';
import { fail } from '../core/errors';
import { Expectation, promise, samplePath } from '../core/expectations';
import { namespaceOf, servicePortsOf } from '../core/kube-objects';
import { checkHost } from '../core/names';
import { StringMatchKind } from '../core/string-match';

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
  /** The HTTP rules as the user gave them (for the promises of their redirects). */
  private readonly httpRoutes: HttpRoute[] = [];
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
    promise(this, () => this.redirectPromises());
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
    this.httpRoutes.push(route);
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

  /**
   * What a path-only redirect does for a call from the mesh (proven on istiod's config by
   * `npm run semantics`): a rule whose redirect only replaces the path (`uri` or
   * `prefixRewrite`), matched by its URI alone, not shadowed by an earlier rule, for a host
   * that is a one-port Service of the app.
   */
  private redirectPromises(): Expectation[] {
    const host = this._hosts[0];
    const namespace = this.namespace ?? 'default';
    if (!host.endsWith(`.${namespace}.svc.cluster.local`) || (this._gateways.length && !this._gateways.includes('mesh'))) return [];
    // The call goes to the Service's port: the app's Service of that host, when it has one port.
    const service = this.node.root.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Service'
      && c.name === host.split('.')[0] && namespaceOf(c) === namespace);
    const ports = service ? servicePortsOf(service, service) : [];
    if (ports.length !== 1) return [];
    const out: Expectation[] = [];
    this.httpRoutes.forEach((route, i) => {
      const r = route.redirect;
      const uri = route.match?.length === 1 && Object.keys(route.match[0]).every(k => k === 'uri') ? route.match[0].uri : undefined;
      if (!r || !uri || r.authority || r.scheme || r.port !== undefined || r.derivePort || !(r.uri || r.prefixRewrite)) return;
      const path = samplePath(uri);
      if (!path || this.httpRoutes.slice(0, i).some(earlier => mayMatch(earlier, path))) return;
      const location = r.uri ?? `${r.prefixRewrite}${path.slice(uri.value.length)}`;
      out.push({
        promise: `http[${i}]: ${path} is redirected to ${location}`,
        request: { from: { namespace }, host, port: ports[0], path },
        expect: { status: r.redirectCode ?? 301, redirect: `http://${host}${location}` },
      });
    });
    return out;
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

/** Whether a rule may take a request for `path` (unknown conditions count as a match). */
function mayMatch(route: HttpRoute, path: string): boolean {
  if (!route.match?.length) return true;
  return route.match.some(m => Object.keys(m).some(k => k !== 'uri') || !m.uri
    || (m.uri.kind === StringMatchKind.EXACT ? m.uri.value === path : m.uri.kind === StringMatchKind.PREFIX ? path.startsWith(m.uri.value) : true));
}
