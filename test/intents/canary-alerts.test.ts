import { parser } from '@prometheus-io/lezer-promql';
import { ApiObject, Duration } from 'cdk8s';
import { parse } from 'yaml';
import { AlertRuleFormat, CanaryAlerts, CanaryPhase, CanaryRelease, CanaryVersion, ServiceReference } from '../../src';
import { gitOpsSchemaErrors } from '../support/gitops-schemas';
import { chart, ofKind, synth } from '../support/synth';
import { versioned } from '../support/workloads';

/** Syntax errors Prometheus' own PromQL grammar finds in an expression (none: it parses). */
function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({ enter: n => { if (n.type.isError) errors.push(`at ${n.from}: '${expr.slice(n.from, n.from + 20)}'`); } });
  return errors;
}

function release(props: any = {}) {
  const c = chart('shop');
  const { service, deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
  const r = new CanaryRelease(c, 'reviews-canary', {
    service: ServiceReference.fromService(service),
    stable: CanaryVersion.fromWorkload(v1),
    canary: CanaryVersion.fromWorkload(v2),
    canaryWeight: 10,
    ...props,
  });
  return { c, r };
}

test('the PromQL parser finds a broken expression (the check below can fail)', () => {
  expect(promqlErrors('sum(rate(istio_requests_total[5m]) >')).not.toEqual([]);
});

test('a PrometheusRule with a success-rate and a p99 alert comparing canary to stable, each valid PromQL', () => {
  const { c, r } = release();
  const alerts = new CanaryAlerts(c, 'alerts', { release: r, maxSuccessRateDrop: 2, maxLatencyRatio: 1.3, ruleLabels: { release: 'prom' } });
  const [rule] = ofKind(synth(c), 'PrometheusRule');
  expect(gitOpsSchemaErrors([rule])).toEqual([]);
  expect(gitOpsSchemaErrors([{ ...rule, spec: { groups: [{ name: 'g', rules: [{ alert: 'a' }] }] } }])).not.toEqual([]);
  expect(rule.metadata).toEqual({ name: 'alerts-canary', namespace: 'shop', labels: { release: 'prom' } });
  const rules = rule.spec.groups[0].rules;
  expect(rules.map((x: any) => [x.alert, x.for, x.labels])).toEqual([
    ['ReviewsCanaryCanarySuccessRate', '5m', { severity: 'warning' }],
    ['ReviewsCanaryCanaryLatency', '5m', { severity: 'warning' }],
  ]);
  for (const x of rules) expect(promqlErrors(x.expr)).toEqual([]);
  const [success, latency] = rules.map((x: any) => x.expr);
  const [stable, canary] = [ApiObject.of(r.stable.workload!).name, ApiObject.of(r.canary.workload!).name];
  expect(success).toContain(`destination_workload="${canary}",destination_workload_namespace="shop",response_code!~"5.."`);
  expect(success).toContain(`destination_workload="${stable}"`);
  expect(success).toContain(`- 0.02 and sum(rate(istio_requests_total{reporter="destination",destination_workload="${canary}",destination_workload_namespace="shop"}[5m])) > 0.1`);
  expect(latency.startsWith(`histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="${canary}"`)).toBe(true);
  expect(latency).toContain(') > 1.3 * histogram_quantile(0.99');
  expect(Object.keys(alerts.expressions)).toEqual(['ReviewsCanaryCanarySuccessRate', 'ReviewsCanaryCanaryLatency']);
});

test('versions given by labels are told apart by their version label; without one it is an error', () => {
  const c = chart('shop');
  const { service } = versioned(c, 'reviews', ['v1', 'v2']);
  const r = new CanaryRelease(c, 'canary', {
    service: ServiceReference.fromService(service), stable: CanaryVersion.fromLabels({ app: 'reviews', version: 'v1' }), canary: CanaryVersion.fromLabels({ app: 'reviews', version: 'v2' }),
  });
  const alerts = new CanaryAlerts(c, 'alerts', { release: r, window: Duration.minutes(10) });
  const expr = Object.values(alerts.expressions)[0];
  expect(expr).toContain('destination_service_name="reviews",destination_service_namespace="shop",destination_version="v2"');
  expect(expr).toContain('[10m]');
  expect(promqlErrors(expr)).toEqual([]);

  const other = chart('shop');
  const ratings = versioned(other, 'ratings', ['v1', 'v2']).service;
  const t = new CanaryRelease(other, 'tracks', {
    service: ServiceReference.fromService(ratings), stable: CanaryVersion.fromLabels({ app: 'ratings', track: 'stable' }), canary: CanaryVersion.fromLabels({ app: 'ratings', track: 'canary' }),
  });
  expect(() => new CanaryAlerts(other, 'tracks-alerts', { release: t }))
    .toThrow(/CanaryAlerts 'test\/tracks-alerts': the stable version of 'test\/tracks' is given by labels \{"app":"ratings","track":"stable"\} without a 'version' label/);
});

test.each([CanaryPhase.PROMOTED, CanaryPhase.ROLLED_BACK])('a %s release has no alerts', (phase) => {
  const { c, r } = release({ phase });
  const alerts = new CanaryAlerts(c, 'alerts', { release: r });
  expect(alerts.rules).toBeUndefined();
  expect(alerts.expressions).toEqual({});
  expect(ofKind(synth(c), 'PrometheusRule')).toEqual([]);
});

test('as a rules file in a ConfigMap, for a Prometheus that loads rule files', () => {
  const { c, r } = release();
  new CanaryAlerts(c, 'alerts', { release: r, format: AlertRuleFormat.CONFIG_MAP, alertLabels: { team: 'reviews' } });
  const [cm] = ofKind(synth(c), 'ConfigMap');
  const file = parse(cm.data['alerts-canary.rules.yaml']);
  expect(file.groups[0].name).toBe('canary-alerts');
  expect(file.groups[0].rules.map((x: any) => x.labels)).toEqual([{ severity: 'warning', team: 'reviews' }, { severity: 'warning', team: 'reviews' }]);
  for (const x of file.groups[0].rules) expect(promqlErrors(x.expr)).toEqual([]);
});

test.each([
  [{ maxSuccessRateDrop: 0 }, /maxSuccessRateDrop must be a number of percentage points above 0 and at most 100, got 0/],
  [{ maxLatencyRatio: 0.9 }, /maxLatencyRatio must be at least 1 .*, got 0.9/],
  [{ minRequestRate: -1 }, /minRequestRate must be a number of requests per second of at least 0, got -1/],
  [{ window: Duration.millis(0.5) }, /window must be a whole number of milliseconds/],
  [{ alertLabels: { 'bad key!': 'x' } }, /alertLabels/],
])('bad thresholds are errors naming the prop: %j', (props, message) => {
  const { c, r } = release();
  expect(() => new CanaryAlerts(c, 'alerts', { release: r, ...props as any })).toThrow(message);
});

test('a Grafana dashboard of both versions side by side, for Grafana\'s dashboard sidecar; none once rolled back', () => {
  const { c, r } = release();
  const alerts = new CanaryAlerts(c, 'alerts', { release: r, grafanaDashboard: true });
  const cm = ofKind(synth(c), 'ConfigMap').find(o => o.metadata.name === 'alerts-canary-dashboard');
  expect(cm.metadata.labels).toEqual({ grafana_dashboard: '1' });
  expect(alerts.dashboard).toBeDefined();
  const dashboard = JSON.parse(cm.data['alerts-canary.json']);
  expect(dashboard.title).toBe('Canary: reviews.shop.svc.cluster.local (v2 (canary) vs v1 (stable))');
  expect(dashboard.panels.map((p: any) => [p.title, p.fieldConfig.defaults.unit, p.targets.map((t: any) => t.legendFormat)])).toEqual([
    ['Requests per second', 'reqps', ['v1', 'v2']],
    ['Success rate (non-5xx)', 'percentunit', ['v1', 'v2']],
    ['p99 latency', 'ms', ['v1', 'v2']],
  ]);
  for (const p of dashboard.panels) for (const t of p.targets) expect(promqlErrors(t.expr)).toEqual([]);

  const back = release({ phase: CanaryPhase.ROLLED_BACK });
  expect(new CanaryAlerts(back.c, 'alerts', { release: back.r, grafanaDashboard: true }).dashboard).toBeUndefined();
  expect(ofKind(synth(back.c), 'ConfigMap')).toEqual([]);
});
