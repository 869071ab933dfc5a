import { Duration } from 'cdk8s';
import { checkArguments } from '../core/arguments';

/** Where the official Istio Helm charts are pulled from. */
export const ISTIO_HELM_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/** Options of the Argo CD delivery. */
export interface ArgoCdDeliveryOptions {
  /** Namespace Argo CD runs in (where Applications live). @default 'argocd' */
  readonly namespace?: string;
  /** Argo CD project. @default 'default' */
  readonly project?: string;
  /** Helm repository of the Istio charts (a mirror, or an OCI registry without `oci://`). @default ISTIO_HELM_REPOSITORY */
  readonly repoUrl?: string;
  /** Destination cluster API server. @default 'https://kubernetes.default.svc' */
  readonly destinationServer?: string;
  /** Sync automatically (prune + self-heal). @default true */
  readonly automatedSync?: boolean;
}

/** Options of the Flux delivery. */
export interface FluxDeliveryOptions {
  /** Namespace of the HelmRepository and HelmReleases. @default 'flux-system' */
  readonly namespace?: string;
  /** Reconcile interval. @default Duration.minutes(10) */
  readonly interval?: Duration;
  /** Helm repository of the Istio charts. @default ISTIO_HELM_REPOSITORY */
  readonly repoUrl?: string;
}

/** Options of the rendered delivery. */
export interface RenderedDeliveryOptions {
  /** Path of the istioctl binary. @default - `$ISTIOCTL`, else `istioctl` on PATH */
  readonly istioctl?: string;
}

/** The kinds of delivery. */
export enum DeliveryKind {
  /** Argo CD Applications, one per Istio chart. */
  ARGO_CD = 'ARGO_CD',
  /** Flux HelmRepository + HelmReleases. */
  FLUX = 'FLUX',
  /** An IstioOperator for `istioctl install -f`. */
  ISTIO_OPERATOR = 'ISTIO_OPERATOR',
  /** Plain manifests from `istioctl manifest generate`. */
  RENDERED = 'RENDERED',
}

/**
 * How an `IstioControlPlane` reaches the cluster. The typed intent is the same
 * for all four; only the emitted objects differ.
 *
 * @example
 * declare const chart: Chart;
 *
 * new IstioControlPlane(chart, 'istio', { delivery: ControlPlaneDelivery.flux() });
 */
export class ControlPlaneDelivery {
  /**
   * Argo CD `Application`s for the official charts (base → istiod → cni/ztunnel),
   * ordered by sync waves, with the `ignoreDifferences` istiod's webhook patching needs.
   */
  public static argoCd(options: ArgoCdDeliveryOptions = {}): ControlPlaneDelivery {
    checkArguments(undefined, 'ControlPlaneDelivery', 'argoCd', arguments);
    return new ControlPlaneDelivery(DeliveryKind.ARGO_CD, options, {}, {});
  }

  /** A Flux `HelmRepository` and one `HelmRelease` per chart, ordered by `dependsOn`. */
  public static flux(options: FluxDeliveryOptions = {}): ControlPlaneDelivery {
    checkArguments(undefined, 'ControlPlaneDelivery', 'flux', arguments);
    return new ControlPlaneDelivery(DeliveryKind.FLUX, {}, options, {});
  }

  /** An `IstioOperator` object to pass to `istioctl install -f` (keep it in its own chart/file). */
  public static istioOperator(): ControlPlaneDelivery {
    return new ControlPlaneDelivery(DeliveryKind.ISTIO_OPERATOR, {}, {}, {});
  }

  /**
   * Plain manifests: runs `istioctl manifest generate` on the same IstioOperator
   * at synth time and includes every object it prints (like cdk8s' `Helm` runs helm).
   */
  public static rendered(options: RenderedDeliveryOptions = {}): ControlPlaneDelivery {
    checkArguments(undefined, 'ControlPlaneDelivery', 'rendered', arguments);
    return new ControlPlaneDelivery(DeliveryKind.RENDERED, {}, {}, options);
  }

  private constructor(
    /** Which delivery this is. */
    public readonly kind: DeliveryKind,
    /** Argo CD options (ARGO_CD only). */
    public readonly argoCdOptions: ArgoCdDeliveryOptions,
    /** Flux options (FLUX only). */
    public readonly fluxOptions: FluxDeliveryOptions,
    /** Rendered options (RENDERED only). */
    public readonly renderedOptions: RenderedDeliveryOptions,
  ) {}
}
