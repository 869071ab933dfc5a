import { ApiObject, ApiObjectMetadata, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshAnalyzer } from '../analysis/mesh-analyzer';
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
 * Base of every Istio resource construct: renders exactly one `ApiObject`
 * whose spec is produced at synth time from what the construct holds, so
 * `add*` calls made after construction are included.
 */
export abstract class IstioResource extends Construct {
  /**
   * The rendered Kubernetes object: the escape hatch.
   * `ApiObject.of(resource)` returns the same object.
   */
  public readonly apiObject: ApiObject;

  protected constructor(scope: Construct, id: string, kind: IstioKind, props: IstioResourceProps = {}) {
    super(scope, id);
    MeshAnalyzer.of(this); // every app with Istio objects is analyzed at synth
    const metadata = props.metadata ?? {};
    if (metadata.name !== undefined) checkDns1123Subdomain(this, 'metadata.name', metadata.name);
    if (metadata.namespace !== undefined) checkDns1123Label(this, 'metadata.namespace', metadata.namespace);
    checkLabels(this, 'metadata.labels', metadata.labels);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      metadata,
      spec: Lazy.any({ produce: () => this._renderSpec() }),
    });
    this.node.defaultChild = this.apiObject;
  }

  /** The object's name in Kubernetes. */
  public get name(): string {
    return this.apiObject.name;
  }

  /**
   * The object's namespace, if set here or on the chart.
   */
  public get namespace(): string | undefined {
    return this.apiObject.metadata.namespace;
  }

  /** The `apiVersion` this resource renders. */
  public get apiVersion(): string {
    return this.apiObject.apiVersion;
  }

  /** The `kind` this resource renders. */
  public get kind(): string {
    return this.apiObject.kind;
  }

  /**
   * Applies a JSON patch to the rendered object (after our rendering), for
   * fields this library does not model. The patch is never dropped.
   */
  public addJsonPatch(...ops: JsonPatch[]): void {
    this.apiObject.addJsonPatch(...ops);
  }

  /** Renders the `spec`. Runs at synth time; must not throw for user input (validate eagerly). @internal */
  protected abstract _renderSpec(): any;
}
