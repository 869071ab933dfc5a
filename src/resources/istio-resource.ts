import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../core/arguments';
import { describe } from '../core/errors';
import { checkDns1123Label, checkDns1123Subdomain, checkLabels } from '../core/names';
import { istioResourceCreated } from '../core/resource-hooks';

/** Props every Istio resource construct accepts. */
export interface IstioResourceProps {
  /**
   * Kubernetes metadata: name, namespace, labels, annotations.
   *
   * @default - a name generated from the construct path (deterministic), the chart's namespace
   */
  readonly metadata?: ApiObjectMetadata;
}

/** The API group, version and kind a resource renders (Istio's, or Gateway API's). */
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
  protected constructor(scope: Construct, id: string, kind: IstioKind, props: IstioResourceProps = {}, className: string = kind.kind) {
    const spec: { resource?: IstioResource; produce(): any } = {
      produce() {
        return this.resource!._renderSpec();
      },
    };
    // Shape-checked right after super (it needs the construct's path); until then, read nothing from a non-object.
    const metadata = (props !== null && typeof props === 'object' ? props.metadata : undefined) ?? {};
    super(scope, id, { apiVersion: kind.apiVersion, kind: kind.kind, metadata, spec: Lazy.any(spec) });
    spec.resource = this;
    checkProps(this, className, props); // the construct class, named after its kind unless told
    istioResourceCreated(this); // every app with Istio objects is analyzed at synth (the analysis registers itself)
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

  /** The object's JSON; a JSON patch that cannot apply fails naming this construct and the patch. */
  public toJson(): any {
    try {
      return super.toJson();
    } catch (e: any) {
      const patches: any[] = (this as any).patches ?? [];
      if (patches.length === 0 || !this.rendersWithoutPatches(patches)) throw e;
      const ops = patches.map(p => `${p.operation?.op} ${p.operation?.path}`).join(', ');
      throw new Error(`${describe(this)}: its JSON patches (${ops}) could not be applied; check each path against the object as synthesized without them. Cause: ${e.message}`);
    }
  }

  /** On the error path only: whether the object renders once its patches are set aside. */
  private rendersWithoutPatches(patches: any[]): boolean {
    const kept = patches.splice(0);
    try {
      super.toJson();
      return true;
    } catch {
      return false;
    } finally {
      patches.push(...kept);
    }
  }

  /** Renders the `spec`. Runs at synth time; must not throw for user input (validate eagerly). @internal */
  protected abstract _renderSpec(): any;
}
