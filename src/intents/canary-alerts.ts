import { ApiObject, Duration, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryPhase, CanaryRelease } from './canary-release';
import { CanaryVersion } from './canary-version';
import { checkProps } from '../core/arguments';
import { istioDuration } from '../core/duration';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { kubeObjectOf, WORKLOAD_KINDS } from '../core/kube-objects';
import { checkLabels, nameFromId } from '../core/names';

/** How the alerting rules are delivered to Prometheus. */
export enum AlertRuleFormat {
  /** A `PrometheusRule` (monitoring.coreos.com/v1), for the Prometheus operator. */
  PROMETHEUS_RULE = 'PROMETHEUS_RULE',
  /** A ConfigMap holding a rules file (`<name>.rules.yaml`), for a Prometheus that loads rule files. */
  CONFIG_MAP = 'CONFIG_MAP',
}

/** Props of `CanaryAlerts`. */
export interface CanaryAlertsProps {
  /** The release whose canary is watched. */
  readonly release: CanaryRelease;
  /**
   * Alert when the canary's request success rate (non-5xx) is this many percentage
   * points below the stable version's.
   * @default 1
   */
  readonly maxSuccessRateDrop?: number;
  /**
   * Alert when the canary's p99 latency is more than this multiple of the stable version's.
   * @default 1.5
   */
  readonly maxLatencyRatio?: number;
  /**
   * Rates are computed over this window.
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
  /**
   * An alert fires once its condition has held this long.
   * @default Duration.minutes(5)
   */
  readonly pendingFor?: Duration;
  /**
   * No alert while the canary serves fewer requests per second than this (too few to compare).
   * @default 0.1
   */
  readonly minRequestRate?: number;
  /**
   * Labels on each alert (routing in Alertmanager), added to `severity`.
   * @default { severity: 'warning' }
   */
  readonly alertLabels?: { [key: string]: string };
  /**
   * Labels on the rule object, e.g. the ones a Prometheus `ruleSelector` picks up.
   * @default - none
   */
  readonly ruleLabels?: { [key: string]: string };
  /**
   * How the rules are delivered.
   * @default AlertRuleFormat.PROMETHEUS_RULE
   */
  readonly format?: AlertRuleFormat;
  /**
   * Also emit a Grafana dashboard of the two versions side by side (request rate, success rate,
   * p99 latency), as a ConfigMap labelled `grafana_dashboard: "1"` for Grafana's dashboard sidecar.
   * @default false
   */
  readonly grafanaDashboard?: boolean;
}

/**
 * Alerting rules that compare a `CanaryRelease`'s canary with its stable version,
 * from Istio's standard metrics as the destination's proxy reports them
 * (`istio_requests_total`, `istio_request_duration_milliseconds_bucket`,
 * `reporter="destination"`): a success-rate drop and a p99 latency ratio. They
 * exist while the release rolls out; a promoted or rolled-back release has none.
 *
 * A version given as a workload is told apart by `destination_workload`; one
 * given by labels by its `version` label (`destination_version`).
 *
 * @example
 * declare const chart: Chart;
 * declare const release: CanaryRelease;
 *
 * new CanaryAlerts(chart, 'reviews-canary-alerts', {
 *   release,
 *   maxSuccessRateDrop: 2,      // percentage points below stable
 *   maxLatencyRatio: 1.3,       // canary p99 / stable p99
 *   ruleLabels: { release: 'kube-prometheus-stack' },
 * });
 */
export class CanaryAlerts extends Construct {
  /** The rules object (a PrometheusRule or a ConfigMap); undefined once the release is promoted or rolled back. */
  public readonly rules?: ApiObject;
  /** The PromQL of each alert, by alert name (empty once the release is promoted or rolled back). */
  public readonly expressions: { [alert: string]: string };
  /** The dashboard ConfigMap, when `grafanaDashboard` is set and the release rolls out. */
  public readonly dashboard?: ApiObject;

  constructor(scope: Construct, id: string, props: CanaryAlertsProps) {
    super(scope, id);
    checkProps(this, 'CanaryAlerts', props);
    reportChildErrorsAsOwn(this);
    const drop = props.maxSuccessRateDrop ?? 1;
    if (!Number.isFinite(drop) || drop <= 0 || drop > 100) {
      fail(this, `maxSuccessRateDrop must be a number of percentage points above 0 and at most 100, got ${drop}.`);
    }
    const ratio = props.maxLatencyRatio ?? 1.5;
    if (!Number.isFinite(ratio) || ratio < 1) fail(this, `maxLatencyRatio must be at least 1 (the canary's p99 over the stable version's), got ${ratio}.`);
    const minRate = props.minRequestRate ?? 0.1;
    if (!Number.isFinite(minRate) || minRate < 0) fail(this, `minRequestRate must be a number of requests per second of at least 0, got ${minRate}.`);
    const window = istioDuration(this, 'window', props.window ?? Duration.minutes(5));
    const pendingFor = istioDuration(this, 'pendingFor', props.pendingFor ?? Duration.minutes(5));
    checkLabels(this, 'alertLabels', props.alertLabels);
    checkLabels(this, 'ruleLabels', props.ruleLabels);

    const release = props.release;
    const namespace = release.meshService.namespace ?? 'default';
    const stable = versionSelector(this, 'stable', release.stable, release, namespace);
    const canary = versionSelector(this, 'canary', release.canary, release, namespace);
    const requests = (sel: string, extra = '') => `sum(rate(istio_requests_total{reporter="destination",${sel}${extra}}[${window}]))`;
    const successRate = (sel: string) => `(${requests(sel, ',response_code!~"5.."')} / ${requests(sel)})`;
    const p99 = (sel: string) => `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",${sel}}[${window}])))`;
    const enough = `${requests(canary)} > ${minRate}`;
    const name = nameFromId(this.node.id);
    const prefix = pascal(release.node.id);
    this.expressions = release.phase !== CanaryPhase.ROLLOUT ? {} : {
      [`${prefix}CanarySuccessRate`]: `${successRate(canary)} < ${successRate(stable)} - ${drop / 100} and ${enough}`,
      [`${prefix}CanaryLatency`]: `${p99(canary)} > ${ratio} * ${p99(stable)} and ${enough}`,
    };
    if (release.phase !== CanaryPhase.ROLLOUT) return;

    const service = release.host;
    const versions = `${release.canarySubset} (canary) vs ${release.stableSubset} (stable)`;
    const what: { [alert: string]: string } = {
      [`${prefix}CanarySuccessRate`]: `success rate more than ${drop} percentage points below stable`,
      [`${prefix}CanaryLatency`]: `p99 latency more than ${ratio}× stable's`,
    };
    const rules = Object.entries(this.expressions).map(([alert, expr]) => ({
      alert,
      expr,
      for: pendingFor,
      labels: { severity: 'warning', ...props.alertLabels },
      annotations: {
        summary: `Canary of ${service}: ${what[alert]}`,
        description: `${versions}, over ${window}. Consider phase ROLLED_BACK on CanaryRelease '${release.node.path}'.`,
      },
    }));
    const groups = [{ name: `canary-${name}`, rules }];
    const metadata = { name: `${name}-canary`, namespace, labels: props.ruleLabels };
    this.rules = (props.format ?? AlertRuleFormat.PROMETHEUS_RULE) === AlertRuleFormat.PROMETHEUS_RULE
      ? new ApiObject(this, 'PrometheusRule', { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata, spec: { groups } } as any)
      : new ApiObject(this, 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [`${name}-canary.rules.yaml`]: Yaml.stringify({ groups }) } } as any);
    this.node.defaultChild = this.rules;
    if (props.grafanaDashboard) {
      const panels = dashboardPanels({ requests, successRate, p99 }, { [release.stableSubset]: stable, [release.canarySubset]: canary });
      this.dashboard = new ApiObject(this, 'Dashboard', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${name}-canary-dashboard`, namespace, labels: { grafana_dashboard: '1' } },
        data: { [`${name}-canary.json`]: JSON.stringify({ title: `Canary: ${service} (${versions})`, uid: `canary-${name}`.slice(0, 40), schemaVersion: 39, panels }, undefined, 2) },
      } as any);
    }
  }
}

interface Queries {
  requests(sel: string): string;
  successRate(sel: string): string;
  p99(sel: string): string;
}

/** Three time series panels, each with one query per version (legend: the subset name). */
function dashboardPanels(q: Queries, versions: { [subset: string]: string }): any[] {
  const panel = (id: number, title: string, unit: string, query: (sel: string) => string) => ({
    id,
    type: 'timeseries',
    title,
    gridPos: { x: 0, y: (id - 1) * 8, w: 24, h: 8 },
    fieldConfig: { defaults: { unit } },
    targets: Object.entries(versions).map(([subset, sel], i) => ({ refId: String.fromCharCode(65 + i), expr: query(sel), legendFormat: subset })),
  });
  return [
    panel(1, 'Requests per second', 'reqps', q.requests),
    panel(2, 'Success rate (non-5xx)', 'percentunit', q.successRate),
    panel(3, 'p99 latency', 'ms', q.p99),
  ];
}

/** The PromQL label matchers that pick one version's pods in Istio's metrics. */
function versionSelector(scope: CanaryAlerts, which: string, version: CanaryVersion, release: CanaryRelease, namespace: string): string {
  if (version.workload) {
    const workload = kubeObjectOf(version.workload, WORKLOAD_KINDS, 'CanaryAlerts');
    return `destination_workload="${workload.name}",destination_workload_namespace="${namespace}"`;
  }
  const labels = version._allPodLabels();
  if (labels.version === undefined) {
    fail(scope, `the ${which} version of ${show(release.node.path)} is given by labels ${show(labels)} without a 'version' label, so Istio's metrics `
      + '(destination_version) cannot tell it apart. Give the release CanaryVersion.fromWorkload(workload), or a version label.');
  }
  const serviceName = release.host.split('.')[0];
  return `destination_service_name="${serviceName}",destination_service_namespace="${namespace}",destination_version="${labels.version}"`;
}

function pascal(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1)).join('');
}
