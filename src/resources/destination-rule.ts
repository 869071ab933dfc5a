import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { renderTrafficPolicy } from './rendering/traffic-policy';
import { TrafficPolicy } from './traffic-policy';
import { checkArguments } from '../core/arguments';
import { fail, show } from '../core/errors';
import { checkDns1123Label, checkHost, checkLabels } from '../core/names';
import { WorkloadSelector } from '../core/workload-selector';

/** A named version of a service, selected by pod labels. */
export interface Subset {
  /** Subset name (DNS-1123 label), referenced by routes. */
  readonly name: string;
  /** Pod labels that define the subset, e.g. `{ version: 'v2' }`. */
  readonly labels: { [key: string]: string };
  /** Policy for this subset only (applies only when a route targets the subset). @default - inherits */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Props of a `DestinationRule`. */
export interface DestinationRuleProps extends IstioResourceProps {
  /** The service host; put the rule in the service's namespace and use the FQDN. */
  readonly host: string;
  /** Policy for all traffic to the host. @default - Istio defaults */
  readonly trafficPolicy?: TrafficPolicy;
  /** Versions of the service. @default - none */
  readonly subsets?: Subset[];
  /** Namespaces this is visible to. @default - all */
  readonly exportTo?: string[];
  /** Apply only to these client workloads. @default - all clients */
  readonly workloadSelector?: WorkloadSelector;
}

/**
 * An Istio DestinationRule (`networking.istio.io/v1`): subsets and traffic policy for a host.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends IstioResource {
  /** The host this rule applies to. */
  public readonly host: string;
  private _trafficPolicy: any;
  private readonly _subsets: any[] = [];
  private readonly _subsetNames: string[] = [];
  private readonly _exportTo?: string[];
  private readonly _workloadSelector?: any;

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' }, props);
    this.host = checkHost(this, 'host', props.host);
    this._trafficPolicy = renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy);
    props.subsets?.forEach(s => this.addSubset(s));
    this._exportTo = props.exportTo;
    this._workloadSelector = props.workloadSelector?._render(this, 'workloadSelector');
  }

  /** Names of the subsets defined so far (a copy). */
  public get subsetNames(): string[] {
    return [...this._subsetNames];
  }

  /** The labels of a subset defined here (a copy), or undefined. */
  public subsetLabels(name: string): { [key: string]: string } | undefined {
    checkArguments(this, 'DestinationRule', 'subsetLabels', arguments);
    const subset = this._subsets.find(s => s.name === name);
    return subset ? { ...subset.labels } : undefined;
  }

  /** The top-level traffic policy fields set so far, e.g. `['connectionPool', 'outlierDetection']`. */
  public get trafficPolicyFields(): string[] {
    return Object.entries(this._trafficPolicy ?? {}).filter(([, v]) => v !== undefined).map(([k]) => k);
  }

  /**
   * Adds traffic policy fields (connection pool, outlier detection, TLS, …) for
   * the whole host. A field that is already set is an error, not an overwrite.
   */
  public addTrafficPolicy(policy: TrafficPolicy): void {
    checkArguments(this, 'DestinationRule', 'addTrafficPolicy', arguments);
    const rendered = renderTrafficPolicy(this, 'trafficPolicy', policy) ?? {};
    const taken = this.trafficPolicyFields;
    for (const [field, value] of Object.entries(rendered)) {
      if (value === undefined) continue;
      if (taken.includes(field)) fail(this, `trafficPolicy.${field} is already set; one DestinationRule has one ${field}. Merge the two settings.`);
      this._trafficPolicy = { ...this._trafficPolicy, [field]: value };
    }
  }

  /** Adds a subset; names must be unique. */
  public addSubset(subset: Subset): Subset {
    checkArguments(this, 'DestinationRule', 'addSubset', arguments);
    const prop = `subsets[${this._subsets.length}]`;
    checkDns1123Label(this, `${prop}.name`, subset.name);
    if (this._subsetNames.includes(subset.name)) {
      fail(this, `${prop}.name ${show(subset.name)} is already defined; Istio keeps only the first subset of a name. Rename or remove the duplicate.`);
    }
    if (Object.keys(subset.labels).length === 0) {
      fail(this, `${prop}.labels is empty, so subset ${show(subset.name)} would select every pod of the host. Give the labels that distinguish this version, e.g. { version: 'v2' }.`);
    }
    checkLabels(this, `${prop}.labels`, subset.labels);
    this._subsetNames.push(subset.name);
    this._subsets.push({ name: subset.name, labels: { ...subset.labels }, trafficPolicy: renderTrafficPolicy(this, `${prop}.trafficPolicy`, subset.trafficPolicy) });
    return subset;
  }

  /** @internal */
  protected _renderSpec(): any {
    return {
      host: this.host,
      trafficPolicy: this._trafficPolicy,
      subsets: this._subsets.length ? this._subsets : undefined,
      exportTo: this._exportTo,
      workloadSelector: this._workloadSelector && { matchLabels: this._workloadSelector },
    };
  }
}
