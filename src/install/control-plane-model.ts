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

/** One official Istio chart to install, with its Helm values. @internal */
export interface ChartRelease {
  readonly chart: string;
  readonly releaseName: string;
  readonly values: () => any;
  readonly wave: number;
  readonly dependsOn?: string;
}
