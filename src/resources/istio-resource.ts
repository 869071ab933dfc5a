import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
import { checkProps } from '../core/arguments';
import { checkDns1123Label, checkDns1123Subdomain, checkLabels } from '../core/names';

/** Props every Istio resource construct accepts. */
export interface IstioResourceProps {
  /**
   * Kubernetes metadata: name, namespace, labels, annotations.
   *
   * @default - a name generated from the construct path (deterministic), the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
}

/** The API group, version and kind an Istio resource renders. */
export interface IstioKind {
  /** e.g. `networking.istio.io/v1` */
  readonly apiVersion: string;
  /** e.g. `VirtualService` */
  readonly kind: string;
}

/**
 * Base of every Istio resource construct. The construct is itself the one
 * `ApiObject` it renders (no wrapper node: cdk8s walks the whole tree once per
 * chart at synth, so every node costs). Its `spec` is produced at synth time
 * from what the construct holds, so `add*` calls made after construction are
 * included; `addJsonPatch` and `metadata` are the escape hatches.
 */
export abstract class IstioResource extends ApiObject {
  protected constructor(scope: Construct, id: string, kind: IstioKind, props: IstioResourceProps = {}) {
    const spec: { resource?: IstioResource; produce(): any } = {
      produce() {
        return this.resource!._renderSpec();
      },
    };
    // Shape-checked right after super (it needs the construct's path); until then, read nothing from a non-object.
    const metadata = (props !== null && typeof props === 'object' ? props.metadata : undefined) ?? {};
    super(scope, id, { apiVersion: kind.apiVersion, kind: kind.kind, metadata, spec: Lazy.any(spec) });
    spec.resource = this;
    checkProps(this, kind.kind, props); // the construct class is named after its kind
    MeshAnalyzer.of(this); // every app with Istio objects is analyzed at synth
    if (metadata.name !== undefined) checkDns1123Subdomain(this, 'metadata.name', metadata.name);
    if (metadata.namespace !== undefined) checkDns1123Label(this, 'metadata.namespace', metadata.namespace);
    checkLabels(this, 'metadata.labels', metadata.labels);
  }

  /**
   * The object's namespace, if set here or on the chart.
   */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /** Renders the `spec`. Runs at synth time; must not throw for user input (validate eagerly). @internal */
  protected abstract _renderSpec(): any;
}
