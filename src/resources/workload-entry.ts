import { Construct, IConstruct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { fail } from '../core/errors';
import { checkLabels } from '../core/names';

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

/** @internal */
export function renderWorkloadEntrySpec(scope: IConstruct, prop: string, w: WorkloadEntrySpec): any {
  if (!w.address && !w.network) {
    fail(scope, `${prop} needs an address (or a network for cross-network endpoints).`);
  }
  checkLabels(scope, `${prop}.labels`, w.labels);
  for (const [name, port] of Object.entries(w.ports ?? {})) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(scope, `${prop}.ports.${name} must be a port number, got ${port}.`);
  }
  return {
    address: w.address,
    ports: w.ports,
    labels: w.labels,
    network: w.network,
    locality: w.locality,
    weight: w.weight,
    serviceAccount: w.serviceAccount,
  };
}

/** Props of a `WorkloadEntry`. */
export interface WorkloadEntryProps extends IstioResourceProps, WorkloadEntrySpec {}

/**
 * An Istio WorkloadEntry (`networking.istio.io/v1`).
 * @see https://istio.io/latest/docs/reference/config/networking/workload-entry/
 */
export class WorkloadEntry extends IstioResource {
  private readonly _spec: any;

  constructor(scope: Construct, id: string, props: WorkloadEntryProps = {}) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'WorkloadEntry' }, props);
    this._spec = renderWorkloadEntrySpec(this, 'spec', props);
  }

  /** @internal */
  protected _renderSpec(): any {
    return this._spec;
  }
}
