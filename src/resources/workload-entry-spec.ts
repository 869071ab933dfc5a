/**
 * A non-Kubernetes workload (VM, external endpoint).
 * @see https://istio.io/latest/docs/reference/config/networking/workload-entry/
 */
export interface WorkloadEntrySpec {
  /** IP address, DNS name or unix socket. @default - none (required unless network is set) */
  readonly address?: string;
  /** Port name → port number on this endpoint. @default - service ports */
  readonly ports?: { [name: string]: number };
  /** Labels used for selection. @default - none */
  readonly labels?: { [key: string]: string };
  /** Network the endpoint is on. @default - same network */
  readonly network?: string;
  /** Locality `region/zone/subzone`. @default - none */
  readonly locality?: string;
  /** Load-balancing weight. @default 1 */
  readonly weight?: number;
  /** Service account of the workload (for mTLS identity). @default - none */
  readonly serviceAccount?: string;
}
