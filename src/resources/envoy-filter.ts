import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { fail } from '../core/errors';
import { WorkloadSelector } from '../core/workload-selector';

/** Which Envoy object a patch applies to. */
export enum EnvoyPatchTarget {
  /** A listener. */
  LISTENER = 'LISTENER',
  /** A filter chain. */
  FILTER_CHAIN = 'FILTER_CHAIN',
  /** A network filter. */
  NETWORK_FILTER = 'NETWORK_FILTER',
  /** An HTTP filter. */
  HTTP_FILTER = 'HTTP_FILTER',
  /** A route configuration. */
  ROUTE_CONFIGURATION = 'ROUTE_CONFIGURATION',
  /** A virtual host. */
  VIRTUAL_HOST = 'VIRTUAL_HOST',
  /** A route. */
  HTTP_ROUTE = 'HTTP_ROUTE',
  /** A cluster. */
  CLUSTER = 'CLUSTER',
  /** An extension config. */
  EXTENSION_CONFIG = 'EXTENSION_CONFIG',
  /** The bootstrap. */
  BOOTSTRAP = 'BOOTSTRAP',
  /** A listener filter. */
  LISTENER_FILTER = 'LISTENER_FILTER',
}

/** The patch operation. */
export enum EnvoyPatchOperation {
  /** Merge into the matched object. */
  MERGE = 'MERGE',
  /** Add (listeners, clusters, route config items). */
  ADD = 'ADD',
  /** Remove the matched object. */
  REMOVE = 'REMOVE',
  /** Insert before the matched filter. */
  INSERT_BEFORE = 'INSERT_BEFORE',
  /** Insert after the matched filter. */
  INSERT_AFTER = 'INSERT_AFTER',
  /** Insert first. */
  INSERT_FIRST = 'INSERT_FIRST',
  /** Replace the matched filter. */
  REPLACE = 'REPLACE',
}

/** One configuration patch: typed envelope, raw Envoy match and value. */
export interface EnvoyConfigPatch {
  /** What to patch. */
  readonly applyTo: EnvoyPatchTarget;
  /** Istio's `match` object, as written in YAML (context, proxy, listener/cluster/routeConfiguration). @default - match everything */
  readonly match?: any;
  /** The operation. */
  readonly operation: EnvoyPatchOperation;
  /** The Envoy config to merge/add, as written in YAML. @default - none (REMOVE) */
  readonly value?: any;
}

/** Props of an `EnvoyFilter`. */
export interface EnvoyFilterProps extends IstioResourceProps {
  /** Workloads. @default - the namespace (all proxies in the root namespace) */
  readonly workloadSelector?: WorkloadSelector;
  /** Patches, applied in order. */
  readonly configPatches: EnvoyConfigPatch[];
  /** Ordering among EnvoyFilters in the same context. @default 0 */
  readonly priority?: number;
}

/**
 * An Istio EnvoyFilter (`networking.istio.io/v1alpha3`): a raw escape hatch into
 * Envoy configuration. Not stable across Istio versions; prefer typed kinds.
 * @see https://istio.io/latest/docs/reference/config/networking/envoy-filter/
 */
export class EnvoyFilter extends IstioResource {
  private readonly _spec: any;

  constructor(scope: Construct, id: string, props: EnvoyFilterProps) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter' }, props);
    if (props.configPatches.length === 0) fail(this, 'configPatches must list at least one patch.');
    props.configPatches.forEach((p, i) => {
      if (p.operation !== EnvoyPatchOperation.REMOVE && p.value === undefined) {
        fail(this, `configPatches[${i}] with operation ${p.operation} needs a value.`);
      }
    });
    // Operation/target mistakes and relative operations without priority are the
    // mesh analysis' IST0151-IST0154, with istioctl's semantics (IST0151 suppressible).
    this._spec = {
      workloadSelector: props.workloadSelector && { labels: props.workloadSelector._render(this, 'workloadSelector') },
      configPatches: props.configPatches.map(p => ({ applyTo: p.applyTo, match: p.match, patch: { operation: p.operation, value: p.value } })),
      priority: props.priority,
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this._spec;
  }
}
