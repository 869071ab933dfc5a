import { IConstruct } from 'constructs';
import { fail, show } from '../../core/errors';
import { ContainerResources } from '../container-resources';

/** Kubernetes resource quantities, e.g. `500m`, `2Gi`. */
const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/;

/** Renders `{ requests, limits }`, checking each quantity. @internal */
export function renderResources(scope: IConstruct, prop: string, r: ContainerResources | undefined): any {
  if (!r) return undefined;
  const check = (field: string, v: string | undefined) => {
    if (v !== undefined && !QUANTITY.test(v)) fail(scope, `${prop}.${field} ${show(v)} is not a Kubernetes quantity; use e.g. '500m' for CPU or '512Mi' for memory.`);
    return v;
  };
  const requests = { cpu: check('cpuRequest', r.cpuRequest), memory: check('memoryRequest', r.memoryRequest) };
  const limits = { cpu: check('cpuLimit', r.cpuLimit), memory: check('memoryLimit', r.memoryLimit) };
  const some = (o: any) => Object.values(o).some(v => v !== undefined) ? o : undefined;
  return { requests: some(requests), limits: some(limits) };
}
