import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { fail } from './errors';
import { kubeObjectOf, podTemplateOf, WORKLOAD_KINDS } from './kube-objects';
import { checkLabels } from './names';

/** Labels that tell versions of one workload apart. */
const VERSION_LABELS = ['version', 'app.kubernetes.io/version'];

/**
 * Which pods an Istio resource applies to, by their labels.
 *
 * Prefer `fromWorkload` so labels are derived from the workload rather than retyped.
 *
 * @example
 * declare const reviewsV1: kplus.Deployment;
 * const fromWorkload = WorkloadSelector.fromWorkload(reviewsV1); // { app: 'reviews' }: every version
 * const fromLabels = WorkloadSelector.fromLabels({ app: 'reviews' });
 */
export class WorkloadSelector {
  /** Selects pods carrying all of these labels. */
  public static fromLabels(labels: { [key: string]: string }): WorkloadSelector {
    checkArguments(undefined, 'WorkloadSelector', 'fromLabels', arguments);
    return new WorkloadSelector({ ...labels });
  }

  /**
   * Selects the pods of a workload (a Deployment, StatefulSet, … of any
   * cdk8s-plus version, or an imported/plain ApiObject of those kinds) by the
   * labels that identify the workload across versions: `identityLabels` when
   * given; else its selector labels without version labels (`version`,
   * `app.kubernetes.io/version`) and cdk8s' per-object hash label; else (a
   * selector of only those) its pod labels without them. So a policy keeps
   * applying when v2 rolls out, and selects no more than the workload's own labels say.
   */
  public static fromWorkload(workload: IConstruct, identityLabels?: string[]): WorkloadSelector {
    checkArguments(undefined, 'WorkloadSelector', 'fromWorkload', arguments);
    const template = podTemplateOf(workload, kubeObjectOf(workload, WORKLOAD_KINDS, 'WorkloadSelector.fromWorkload()'));
    const pods = template.labels;
    const where = `WorkloadSelector.fromWorkload(): the pods of '${workload.node.path}'`;
    if (identityLabels?.length === 0) throw new Error('WorkloadSelector.fromWorkload(): identityLabels is empty; name at least one label, or omit it.');
    const lasting = (k: string) => !VERSION_LABELS.includes(k) && !k.startsWith('cdk8s.io/');
    const stable = Object.keys(template.matchLabels).filter(lasting);
    // A selector of only cdk8s' hash (cdk8s-plus' default): the pod labels that outlast a version instead.
    const keys = identityLabels ?? (stable.length ? stable : Object.keys(pods).filter(lasting));
    if (keys.length === 0) {
      throw new Error(`${where} carry no label that outlasts a version (labels: ${JSON.stringify(pods)}). `
        + 'Name the labels that identify the workload across versions: fromWorkload(workload, [\'tier\']).');
    }
    const missing = keys.filter(k => pods[k] === undefined);
    if (missing.length) throw new Error(`${where} do not carry ${missing.join(', ')} (labels: ${JSON.stringify(pods)}); name labels the pods carry.`);
    return new WorkloadSelector(Object.fromEntries(keys.map(k => [k, pods[k]])), template.containerPorts);
  }

  private constructor(
    private readonly _labels: { [key: string]: string },
    /** The container ports of the workload it was made from (to check ports given with it). @internal */
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
