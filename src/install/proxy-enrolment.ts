import { ContainerResources } from './container-resources';
import { RevisionTag } from './revision-tag';

/** Sidecar settings, mesh-wide (control plane) or per workload (pod annotations). */
export interface ProxySettings {
  /** Resources of the istio-proxy container. @default - Istio's defaults (100m / 128Mi requests) */
  readonly resources?: ContainerResources;
  /** Start the application only once the proxy is ready. @default false */
  readonly holdApplicationUntilProxyStarts?: boolean;
  /** Inbound ports the proxy does not capture (per workload only). @default - none */
  readonly excludeInboundPorts?: number[];
  /** Outbound ports the proxy does not capture (per workload only). @default - none */
  readonly excludeOutboundPorts?: number[];
}

/** Options of a namespace enrolment. */
export interface NamespaceEnrolmentOptions {
  /** Follow a revision tag instead of the control plane's own revision (sidecar mode). @default - the control plane's revision */
  readonly revisionTag?: RevisionTag;
}

/** Options of a workload enrolment. */
export interface WorkloadEnrolmentOptions extends NamespaceEnrolmentOptions {
  /** Per-pod proxy settings (sidecar mode only). @default - mesh defaults */
  readonly proxy?: ProxySettings;
}
