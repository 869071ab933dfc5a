/** Installation profiles (Istio's istioctl profiles that make sense with native gateways). */
export enum IstioProfile {
  /** Production defaults: base + istiod. */
  DEFAULT = 'default',
  /** Only the control plane, nothing optional. */
  MINIMAL = 'minimal',
  /** Demo settings: access logs, 100% tracing, small resources. Not for production. */
  DEMO = 'demo',
  /** Ambient data plane: istiod + istio-cni + ztunnel, no sidecars. */
  AMBIENT = 'ambient',
}
