import { IConstruct } from 'constructs';
import { IstioProfile } from './istio-profile';

/**
 * What the renderers of a control plane's deliveries and enrolments read of it, so
 * they depend on this and not on IstioControlPlane (which depends on them). @internal
 */
export interface ControlPlaneModel extends IConstruct {
  readonly version: string;
  readonly revision?: string;
  readonly profile: IstioProfile;
  readonly namespace: string;
  readonly hub: string;
  readonly tag: string;
  readonly ambient: boolean;
  readonly manageBase: boolean;
}

/** One Helm chart to install (Istio's, or an observability backend's), with its values. @internal */
export interface ChartRelease {
  readonly chart: string;
  readonly releaseName: string;
  readonly values: () => any;
  /** Argo CD sync wave. */
  readonly wave: number;
  /** Flux: the release installed before this one. */
  readonly dependsOn?: string;
  /** Helm repository. @default - the delivery's (Istio's charts) */
  readonly repoUrl?: string;
  /** Name of its Flux HelmRepository. @default 'istio' */
  readonly repositoryName?: string;
  /** Chart version. @default - the Istio version */
  readonly version?: string;
  /** Argo CD: apply server-side (large CRDs exceed the last-applied annotation). @default false */
  readonly serverSideApply?: boolean;
  /** Argo CD: fields the cluster changes after sync. @default - none */
  readonly ignoreDifferences?: any[];
}

/** Where a delivery installs charts to, and the defaults of its releases. @internal */
export interface ChartTarget {
  /** The scope the Applications or HelmReleases are added to. */
  readonly scope: IConstruct;
  /** Namespace the charts' objects go to. */
  readonly namespace: string;
  /** Chart version of releases that name none (Istio's charts: the Istio version). */
  readonly version?: string;
}
