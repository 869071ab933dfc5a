import { Duration } from 'cdk8s';
import { checkArguments } from '../core/arguments';

/** Options of the Argo CD delivery of the observability stack. */
export interface ObservabilityArgoCdOptions {
  /** Namespace Argo CD runs in (where Applications live). @default 'argocd' */
  readonly namespace?: string;
  /** Argo CD project. @default 'default' */
  readonly project?: string;
  /** Destination cluster API server. @default 'https://kubernetes.default.svc' */
  readonly destinationServer?: string;
  /** Sync automatically (prune + self-heal). @default true */
  readonly automatedSync?: boolean;
}

/** Options of the Flux delivery of the observability stack. */
export interface ObservabilityFluxOptions {
  /** Namespace of the HelmRepositories and HelmReleases. @default 'flux-system' */
  readonly namespace?: string;
  /** Reconcile interval. @default Duration.minutes(10) */
  readonly interval?: Duration;
}

/** The kinds of observability delivery. */
export enum ObservabilityDeliveryKind {
  /** Argo CD Applications of the projects' Helm charts. */
  ARGO_CD = 'ARGO_CD',
  /** Flux HelmRepositories + HelmReleases of the projects' Helm charts. */
  FLUX = 'FLUX',
  /** Native objects, single replica (like Istio's `samples/addons`). */
  RENDERED = 'RENDERED',
}

/**
 * How a `MeshObservability` reaches the cluster. Prometheus, Grafana and Kiali come
 * from their projects' official Helm charts (Argo CD, Flux) or as native objects
 * (rendered); Jaeger has no chart in Istio's addons and is native in every delivery.
 *
 * @example
 * declare const chart: Chart;
 * declare const istio: IstioControlPlane;
 *
 * new MeshObservability(chart, 'observability', { controlPlane: istio, delivery: ObservabilityDelivery.rendered() });
 */
export class ObservabilityDelivery {
  /** One Argo CD `Application` per chart (Prometheus, Grafana, Kiali), after the control plane's sync waves. */
  public static argoCd(options: ObservabilityArgoCdOptions = {}): ObservabilityDelivery {
    checkArguments(undefined, 'ObservabilityDelivery', 'argoCd', arguments);
    return new ObservabilityDelivery(ObservabilityDeliveryKind.ARGO_CD, options, {});
  }

  /** A Flux `HelmRepository` and `HelmRelease` per chart. */
  public static flux(options: ObservabilityFluxOptions = {}): ObservabilityDelivery {
    checkArguments(undefined, 'ObservabilityDelivery', 'flux', arguments);
    return new ObservabilityDelivery(ObservabilityDeliveryKind.FLUX, {}, options);
  }

  /** Native Deployments, Services, ConfigMaps and RBAC, one replica each: for small clusters and demos. */
  public static rendered(): ObservabilityDelivery {
    return new ObservabilityDelivery(ObservabilityDeliveryKind.RENDERED, {}, {});
  }

  private constructor(
    /** Which delivery this is. */
    public readonly kind: ObservabilityDeliveryKind,
    /** Argo CD options (ARGO_CD only). */
    public readonly argoCdOptions: ObservabilityArgoCdOptions,
    /** Flux options (FLUX only). */
    public readonly fluxOptions: ObservabilityFluxOptions,
  ) {}
}
