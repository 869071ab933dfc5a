import { Construct } from 'constructs';
import { checkProps } from '../core/arguments';
import { checkDns1123Label } from '../core/names';

/** Props of a `RevisionTag`. */
export interface RevisionTagProps {
  /** The tag name namespaces and workloads use in `istio.io/rev`, e.g. `prod-stable` (or `default`). */
  readonly tag: string;
  /** The control-plane revision the tag points to; an `IstioControlPlane` in the app must install it. */
  readonly revision: string;
}

/**
 * A revision tag: a stable name (`prod-stable`) that points to one control-plane
 * revision. Namespaces label themselves with the tag; moving the tag to a new
 * revision is a one-line change to `revision`. The control plane that installs
 * the target revision renders it (Helm `revisionTags`).
 * @see https://istio.io/latest/docs/setup/upgrade/canary/#stable-revision-labels
 *
 * @example
 * declare const chart: Chart;
 *
 * new IstioControlPlane(chart, 'istio-1-31', { revision: '1-31' });
 * new RevisionTag(chart, 'prod-stable', { tag: 'prod-stable', revision: '1-31' });
 */
export class RevisionTag extends Construct {
  /** The tag name. */
  public readonly tag: string;
  /** The revision it points to. */
  public readonly revision: string;

  constructor(scope: Construct, id: string, props: RevisionTagProps) {
    super(scope, id);
    checkProps(this, 'RevisionTag', props);
    this.tag = checkDns1123Label(this, 'tag', props.tag);
    this.revision = checkDns1123Label(this, 'revision', props.revision);
  }
}
