/**
 * A web UI served inside the cluster (Grafana, Kiali, Prometheus, Jaeger), for
 * `MeshIngress.exposeUserInterfaces`.
 */
export interface UserInterface {
  /** Short name, used as the host's first label (e.g. `grafana` → `grafana.<domain>`). */
  readonly name: string;
  /** The Service's FQDN, e.g. `grafana.istio-system.svc.cluster.local`. */
  readonly serviceHost: string;
  /** The Service port. */
  readonly port: number;
}
