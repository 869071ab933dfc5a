import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkArguments } from '../core/arguments';
import { fail, show } from '../core/errors';
import { kubeObjectOf, namespaceOf, servicePortsOf } from '../core/kube-objects';
import { checkHost } from '../core/names';
import { checkPort } from '../core/percent';

/**
 * The service an intent acts on: a Service of this app, or a host
 * (FQDN) defined elsewhere. Intents address it by its FQDN, so Istio never
 * resolves a short name in the wrong namespace.
 *
 * @example
 * declare const reviews: kplus.Service;
 * const fromService = ServiceReference.fromService(reviews);
 * const fromHost = ServiceReference.fromHost('ratings.prod.svc.cluster.local', 9080);
 */
export class ServiceReference {
  /**
   * A Service of this app: a cdk8s-plus Service of any version, or an
   * imported/plain ApiObject of kind Service. `port` names the port routes
   * target; it is required when the Service has several ports (IST0112).
   */
  public static fromService(service: IConstruct, port?: number): ServiceReference {
    checkArguments(undefined, 'ServiceReference', 'fromService', arguments);
    kubeObjectOf(service, ['Service'], 'ServiceReference.fromService()');
    return new ServiceReference(service, undefined, port);
  }

  /** A service by host, e.g. `'reviews.shop.svc.cluster.local'` (no wildcard; a short name is a Service in the chart's namespace). */
  public static fromHost(host: string, port?: number): ServiceReference {
    checkArguments(undefined, 'ServiceReference', 'fromHost', arguments);
    return new ServiceReference(undefined, host, port);
  }

  private constructor(
    /** The Service, when the reference was made from one. */
    public readonly service: IConstruct | undefined,
    private readonly _host: string | undefined,
    /** The port routes target, when one is named. */
    public readonly port: number | undefined) {}

  /** The resolved FQDN, namespace and port; errors name `scope`. @internal */
  public _resolve(scope: IConstruct): ResolvedService {
    if (this.service) {
      const service = kubeObjectOf(this.service, ['Service'], 'ServiceReference');
      const namespace = namespaceOf(service);
      const ports = servicePortsOf(this.service, service);
      checkPort(scope, 'port', this.port);
      if (this.port !== undefined && ports.length > 0 && !ports.includes(this.port)) {
        fail(scope, `port ${this.port} is not a port of Service '${service.name}' (ports: ${ports.join(', ')}).`);
      }
      if (this.port === undefined && ports.length > 1) {
        fail(scope, `Service '${service.name}' has several ports (${ports.join(', ')}); name one with ServiceReference.fromService(service, port) (IST0112).`);
      }
      return { host: `${service.name}.${namespace}.svc.cluster.local`, namespace, port: this.port, service, ports };
    }
    checkPort(scope, 'port', this.port);
    const given = checkHost(scope, 'host', this._host!, { allowWildcard: false });
    // A short name means a Service in the scope's namespace (as Istio reads it there): one host, one FQDN.
    // Istio expands no partial name: `reviews.shop` would name no Service.
    if (/^[^.]+\.[^.]+(\.svc)?$/.test(given) && isNamespaceOfApp(scope, given.split('.')[1])) {
      const fqdn = `${given.split('.').slice(0, 2).join('.')}.svc.cluster.local`;
      fail(scope, `host ${show(given)} is a partial name, which Istio does not expand (it would match no Service); write ${show(fqdn)}.`);
    }
    const host = given.includes('.') ? given : `${given}.${Chart.of(scope).namespace ?? 'default'}.svc.cluster.local`;
    const parts = host.split('.');
    const inCluster = parts.length >= 5 && host.endsWith('.svc.cluster.local');
    return { host, namespace: inCluster ? parts[1] : undefined, port: this.port };
  }
}

/** A service reference resolved against a construct. @internal */
export interface ResolvedService {
  readonly host: string;
  /** The Service's namespace; undefined for a host outside the cluster's service domain. */
  readonly namespace?: string;
  readonly port?: number;
  /** The Service object, when the reference was made from one. */
  readonly service?: ApiObject;
  /** The Service's ports, when the reference was made from one. */
  readonly ports?: number[];
}

/** Whether `name` is the namespace of a chart of the app (a `name.ns` host is then a partial Service name). */
function isNamespaceOfApp(scope: IConstruct, name: string): boolean {
  return scope.node.root.node.findAll().some(c => c instanceof Chart && c.namespace === name);
}
