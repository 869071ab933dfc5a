import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { PolicyTargetReference } from './policy-target';
import { renderTargeting } from './rendering/policy-target';
import { checkArguments } from '../core/arguments';
import { fail } from '../core/errors';
import { checkPercent } from '../core/percent';
import { WorkloadSelector } from '../core/workload-selector';

/** Which side of the traffic a telemetry setting applies to. */
export enum WorkloadMode {
  /** Both client and server. */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** Outbound only. */
  CLIENT = 'CLIENT',
  /** Inbound only. */
  SERVER = 'SERVER',
}

/** A span tag value. */
export class CustomTag {
  /** A constant. */
  public static literal(value: string): CustomTag {
    checkArguments(undefined, 'CustomTag', 'literal', arguments);
    return new CustomTag({ literal: { value } });
  }
  /** From an environment variable of the proxy. */
  public static environment(name: string, defaultValue?: string): CustomTag {
    checkArguments(undefined, 'CustomTag', 'environment', arguments);
    return new CustomTag({ environment: { name, defaultValue } });
  }
  /** From a request header. */
  public static header(name: string, defaultValue?: string): CustomTag {
    checkArguments(undefined, 'CustomTag', 'header', arguments);
    return new CustomTag({ header: { name, defaultValue } });
  }
  private constructor(/** @internal */ public readonly _spec: any) {}
}

/** Tracing settings. */
export interface TracingSettings {
  /** Extension providers (from meshConfig). @default - mesh default provider */
  readonly providers?: string[];
  /** Sampling percentage 0–100. @default - provider default */
  readonly randomSamplingPercentage?: number;
  /** Stop reporting spans. @default false */
  readonly disableSpanReporting?: boolean;
  /** Tags added to spans. @default - none */
  readonly customTags?: { [tag: string]: CustomTag };
  /** Side. @default CLIENT_AND_SERVER */
  readonly mode?: WorkloadMode;
}

/** Tag change for a metric. */
export interface MetricTagOverride {
  /** Remove the tag instead of setting it. @default false */
  readonly remove?: boolean;
  /** CEL expression giving the value (ignored when remove). @default - none */
  readonly value?: string;
}

/** Change to one metric (or all). */
export interface MetricOverride {
  /** Istio standard metric name (e.g. `REQUEST_COUNT`) or `ALL_METRICS`. @default ALL_METRICS */
  readonly metric?: string;
  /** Side. @default CLIENT_AND_SERVER */
  readonly mode?: WorkloadMode;
  /** Disable the metric. @default false */
  readonly disabled?: boolean;
  /** Tag changes. @default - none */
  readonly tagOverrides?: { [tag: string]: MetricTagOverride };
}

/** Metrics settings. */
export interface MetricsSettings {
  /** Providers (e.g. `prometheus`). @default - mesh default */
  readonly providers?: string[];
  /** Overrides. @default - none */
  readonly overrides?: MetricOverride[];
}

/** Access log settings. */
export interface AccessLoggingSettings {
  /** Providers (e.g. `envoy`). @default - mesh default */
  readonly providers?: string[];
  /** Disable logging. @default false */
  readonly disabled?: boolean;
  /** CEL filter; only matching requests are logged. @default - all */
  readonly filter?: string;
  /** Side. @default CLIENT_AND_SERVER */
  readonly mode?: WorkloadMode;
}

/** Props of a `Telemetry`. */
export interface TelemetryProps extends IstioResourceProps {
  /** Workloads. @default - the namespace (mesh in the root namespace) */
  readonly selector?: WorkloadSelector;
  /** Attach to waypoints/gateways instead. @default - none */
  readonly targetRefs?: PolicyTargetReference[];
  /** Tracing. @default - none */
  readonly tracing?: TracingSettings[];
  /** Metrics. @default - none */
  readonly metrics?: MetricsSettings[];
  /** Access logging. @default - none */
  readonly accessLogging?: AccessLoggingSettings[];
}

/**
 * An Istio Telemetry (`telemetry.istio.io/v1`).
 * @see https://istio.io/latest/docs/reference/config/telemetry/
 */
export class Telemetry extends IstioResource {
  private readonly _spec: any;

  constructor(scope: Construct, id: string, props: TelemetryProps = {}) {
    super(scope, id, { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' }, props);
    if (!props.tracing?.length && !props.metrics?.length && !props.accessLogging?.length) {
      fail(this, 'has no tracing, metrics or accessLogging settings, so it would do nothing. Add at least one.');
    }
    const providers = (xs?: string[]) => xs?.map(name => ({ name }));
    const emptyProviders = (xs: string[] | undefined, prop: string) => {
      if (xs !== undefined && xs.length === 0) fail(this, `${prop} is an empty list, which Istio ignores (IST0157). Omit it for the mesh default or name a provider.`);
    };
    this._spec = {
      ...renderTargeting(this, props.selector, props.targetRefs),
      tracing: props.tracing?.map((t, i) => {
        emptyProviders(t.providers, `tracing[${i}].providers`);
        const tags: any = {};
        for (const [k, v] of Object.entries(t.customTags ?? {})) tags[k] = v._spec;
        return {
          match: t.mode && { mode: t.mode },
          providers: providers(t.providers),
          randomSamplingPercentage: checkPercent(this, `tracing[${i}].randomSamplingPercentage`, t.randomSamplingPercentage),
          disableSpanReporting: t.disableSpanReporting,
          customTags: t.customTags ? tags : undefined,
        };
      }),
      metrics: props.metrics?.map((m, i) => {
        emptyProviders(m.providers, `metrics[${i}].providers`);
        return {
          providers: providers(m.providers),
          overrides: m.overrides?.map(o => {
            const tagOverrides: any = {};
            for (const [k, v] of Object.entries(o.tagOverrides ?? {})) tagOverrides[k] = v.remove ? { operation: 'REMOVE' } : { operation: 'UPSERT', value: v.value };
            return {
              match: { metric: o.metric ?? 'ALL_METRICS', mode: o.mode },
              disabled: o.disabled,
              tagOverrides: o.tagOverrides ? tagOverrides : undefined,
            };
          }),
        };
      }),
      accessLogging: props.accessLogging?.map((a, i) => {
        emptyProviders(a.providers, `accessLogging[${i}].providers`);
        return {
          match: a.mode && { mode: a.mode },
          providers: providers(a.providers),
          disabled: a.disabled,
          filter: a.filter === undefined ? undefined : { expression: a.filter },
        };
      }),
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this._spec;
  }
}
