import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { renderWorkloadEntrySpec } from './rendering/workload-entry';
import { WorkloadEntrySpec } from './workload-entry-spec';

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
