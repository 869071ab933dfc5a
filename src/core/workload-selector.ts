import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { fail } from './errors';
import { checkLabels } from './names';

/** Labels that name a workload rather than one version of it, in order of preference. */
const IDENTITY_LABELS = ['app', 'app.kubernetes.io/name'];

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
   * Selects the pods of a cdk8s-plus workload (Deployment, StatefulSet, …) by the
   * labels that identify the workload across versions: `identityLabels` when
   * given, else `app`, else `app.kubernetes.io/name`. Never `version` or cdk8s'
   * per-object hash label, so a policy keeps applying when v2 rolls out.
   */
  public static fromWorkload(workload: kplus.Workload, identityLabels?: string[]): WorkloadSelector {
    checkArguments(undefined, 'WorkloadSelector', 'fromWorkload', arguments);
    const pods: { [key: string]: string } = workload.podMetadata.toJson().labels ?? {};
    const keys = identityLabels ?? IDENTITY_LABELS.filter(k => pods[k] !== undefined).slice(0, 1);
    const where = `WorkloadSelector.fromWorkload(): the pods of '${workload.node.path}'`;
    if (keys.length === 0) {
      throw new Error(`${where} carry none of the identity labels ${IDENTITY_LABELS.join(', ')} (labels: ${JSON.stringify(pods)}). `
        + 'Name the labels that identify the workload across versions: fromWorkload(workload, [\'tier\']).');
    }
    const missing = keys.filter(k => pods[k] === undefined);
    if (missing.length) throw new Error(`${where} do not carry ${missing.join(', ')} (labels: ${JSON.stringify(pods)}); name labels the pods carry.`);
    const ports = workload.containers.flatMap(c => c.ports.map(p => p.number));
    return new WorkloadSelector(Object.fromEntries(keys.map(k => [k, pods[k]])), ports);
  }

  private constructor(
    private readonly _labels: { [key: string]: string },
    /** The container ports of the workload it was made from (intents scope port-level rules with them). @internal */
    public readonly _ports?: number[]) {}

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
