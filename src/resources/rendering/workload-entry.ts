import { IConstruct } from 'constructs';
import { fail } from '../../core/errors';
import { checkLabels } from '../../core/names';
import { WorkloadEntrySpec } from '../workload-entry-spec';

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
