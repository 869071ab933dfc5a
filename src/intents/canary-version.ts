import { IConstruct } from 'constructs';
import { checkArguments } from '../core/arguments';
import { kubeObjectOf, podTemplateOf, WORKLOAD_KINDS } from '../core/kube-objects';
import { checkLabels } from '../core/names';

/**
 * One version of a service in a `CanaryRelease`: a workload of this app (its
 * pod labels define the subset) or pods selected by labels.
 *
 * @example
 * declare const v2: kplus.Deployment;
 * const fromWorkload = CanaryVersion.fromWorkload(v2);              // subset 'v2' from the pods' version label
 * const fromLabels = CanaryVersion.fromLabels({ track: 'canary' }, 'canary');
 */
export class CanaryVersion {
  /**
   * The pods of a workload (a Deployment, StatefulSet, … of any cdk8s-plus
   * version, or an imported/plain ApiObject of those kinds); `name` is the subset name.
   */
  public static fromWorkload(workload: IConstruct, name?: string): CanaryVersion {
    checkArguments(undefined, 'CanaryVersion', 'fromWorkload', arguments);
    kubeObjectOf(workload, WORKLOAD_KINDS, 'CanaryVersion.fromWorkload()');
    return new CanaryVersion(workload, undefined, name);
  }

  /** Pods carrying these labels, e.g. `{ app: 'reviews', version: 'v2' }`; `name` is the subset name. */
  public static fromLabels(labels: { [key: string]: string }, name?: string): CanaryVersion {
    checkArguments(undefined, 'CanaryVersion', 'fromLabels', arguments);
    return new CanaryVersion(undefined, { ...labels }, name);
  }

  private constructor(
    /** The workload, when the version was given as one. */
    public readonly workload: IConstruct | undefined,
    private readonly _labels: { [key: string]: string } | undefined,
    /** The subset name, when chosen (else the `version` label, else 'stable' / 'canary'). */
    public readonly name: string | undefined) {}

  /**
   * The pod labels of this version, without cdk8s' per-workload
   * `cdk8s.io/metadata.addr` label (it identifies one object, not a version). @internal
   */
  public _podLabels(scope: IConstruct, prop: string): { [key: string]: string } {
    const all = this._allPodLabels();
    const labels = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('cdk8s.io/')));
    checkLabels(scope, prop, labels);
    return labels;
  }

  /** Every pod label, as the pods carry them (for the Service-coverage check). @internal */
  public _allPodLabels(): { [key: string]: string } {
    return this.workload ? podTemplateOf(this.workload, kubeObjectOf(this.workload, WORKLOAD_KINDS, 'CanaryVersion')).labels : { ...this._labels };
  }
}
