import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { fail } from './errors';
import { checkLabels } from './names';

/**
 * Which pods an Istio resource applies to, by their labels.
 *
 * Prefer `fromWorkload` so labels are derived from the cdk8s-plus workload
 * rather than retyped.
 */
export class WorkloadSelector {
  /** Selects pods carrying all of these labels. */
  public static fromLabels(labels: { [key: string]: string }): WorkloadSelector {
    checkArguments(undefined, 'WorkloadSelector', 'fromLabels', arguments);
    return new WorkloadSelector({ ...labels });
  }

  /**
   * Selects the pods of a cdk8s-plus workload (Deployment, StatefulSet, …) by
   * its selector labels.
   */
  public static fromWorkload(workload: kplus.Workload): WorkloadSelector {
    checkArguments(undefined, 'WorkloadSelector', 'fromWorkload', arguments);
    return new WorkloadSelector({ ...workload.matchLabels });
  }

  private constructor(private readonly _labels: { [key: string]: string }) {}

  /** A copy of the labels this selector requires. */
  public get labels(): { [key: string]: string } {
    return { ...this._labels };
  }

  /** @internal */
  public _render(scope: IConstruct, prop: string): { [key: string]: string } {
    if (Object.keys(this._labels).length === 0) {
      fail(scope, `${prop} has no labels, which Istio treats as "select everything" with a warning. Omit the selector to apply namespace-wide, or give at least one label.`);
    }
    checkLabels(scope, prop, this._labels);
    return { ...this._labels };
  }
}
