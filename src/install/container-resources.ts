import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';

/** CPU and memory for a container, as Kubernetes quantities (`500m`, `2Gi`). */
export interface ContainerResources {
  /** CPU request, e.g. `500m`. @default - the chart default */
  readonly cpuRequest?: string;
  /** Memory request, e.g. `2Gi`. @default - the chart default */
  readonly memoryRequest?: string;
  /** CPU limit. @default - none */
  readonly cpuLimit?: string;
  /** Memory limit. @default - none */
  readonly memoryLimit?: string;
}

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
