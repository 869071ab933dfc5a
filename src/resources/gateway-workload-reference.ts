import { IConstruct } from 'constructs';
import { checkArguments } from '../core/arguments';
import { fail } from '../core/errors';
import { checkDns1123Label, checkLabels } from '../core/names';

/**
 * The gateway pods (ingress or egress) a `Gateway` object selects. An
 * `IngressGateway` / `EgressGateway` of this app is one; `ExternalGatewayWorkload`
 * names pods deployed outside it.
 */
export interface IGatewayWorkload {
  /** A name for messages (the gateway Deployment's). */
  readonly name: string;
  /** The namespace of the gateway pods, where TLS Secrets live. @default - the chart's namespace */
  readonly namespace?: string;
  /** The pod labels a Gateway selects. */
  readonly podLabels: { [key: string]: string };
  /** The FQDN of the gateway's Service (sidecars reach an egress gateway through it), when known. */
  readonly serviceHost?: string;
  /** The service account the gateway pods run as (their mesh identity), when known. */
  readonly serviceAccountName?: string;
  /** Whether the pods are defined in this app (so the analysis can check the Gateway selects them). */
  readonly managedByApp: boolean;
  /** Whether the gateway's Service exposes `port` (always true when unknown). */
  hasServicePort(port: number): boolean;
  /**
   * The pod ports a Service port may forward to (what authorization policies on
   * the gateway pods see): one when known, candidates otherwise.
   */
  podPortsFor(servicePort: number): number[];
}

/**
 * Gateway pods deployed outside this app (e.g. by Istio's Helm chart), by their labels.
 *
 * @example
 * declare const chart: Chart;
 *
 * // Gateway pods installed by Istio's Helm chart, outside this app.
 * new MeshIngress(chart, 'public', { gateway: ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-system') });
 */
export class ExternalGatewayWorkload implements IGatewayWorkload {
  /**
   * The pods with these labels in `namespace`, e.g. `{ istio: 'ingressgateway' }`
   * in `istio-system`; `serviceName` is their Service (needed for an egress gateway).
   * Their ports are not known here, so they are not checked.
   */
  public static fromSelector(podLabels: { [key: string]: string }, namespace: string, serviceName?: string): ExternalGatewayWorkload {
    checkArguments(undefined, 'ExternalGatewayWorkload', 'fromSelector', arguments);
    return new ExternalGatewayWorkload({ ...podLabels }, namespace, serviceName === undefined ? undefined : `${serviceName}.${namespace}.svc.cluster.local`);
  }

  /** A name for messages. */
  public readonly name: string;
  /** Always false: the pods are outside this app. */
  public readonly managedByApp = false;
  /** Not known for pods outside the app. */
  public readonly serviceAccountName?: string = undefined;

  private constructor(
    /** The pod labels a Gateway selects. */
    public readonly podLabels: { [key: string]: string },
    /** The namespace of the gateway pods. */
    public readonly namespace: string | undefined,
    /** The FQDN of the gateway's Service, when named. */
    public readonly serviceHost: string | undefined) {
    this.name = `pods ${JSON.stringify(podLabels)} in ${namespace}`;
  }

  /** Unknown for pods outside the app: true. */
  public hasServicePort(_port: number): boolean {
    return true;
  }

  /**
   * Unknown for pods outside the app: the port itself, and the unprivileged port
   * Istio's gateway deployments commonly use for 80/443 (8080/8443).
   */
  public podPortsFor(servicePort: number): number[] {
    const unprivileged: { [port: number]: number } = { 80: 8080, 443: 8443 };
    return unprivileged[servicePort] ? [servicePort, unprivileged[servicePort]] : [servicePort];
  }

  /** Checks the labels and namespace, naming `scope`. @internal */
  public _check(scope: IConstruct, prop: string): void {
    if (Object.keys(this.podLabels).length === 0) {
      fail(scope, `${prop} has no labels; a Gateway with an empty selector selects every gateway pod. Name the pods' labels, e.g. { istio: 'ingressgateway' }.`);
    }
    checkLabels(scope, `${prop} labels`, this.podLabels);
    checkDns1123Label(scope, `${prop} namespace`, this.namespace!);
  }
}
