import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { builtTool } from './built-tool';

/**
 * Helm (built once by scripts/helm.sh) and Istio's charts from the pinned module, or undefined
 * when they cannot be had here. In CI a missing Helm is an error, never a skip.
 */
export function helmAndCharts(): { helm: string; charts: string } | undefined {
  const helm = builtTool('helm.sh');
  const charts = helm && builtTool('istio-charts.sh');
  return helm && charts ? { helm, charts } : undefined;
}

/** `test` when Helm and the charts are available, otherwise a skipped test (never in CI). */
export function withHelm(): jest.It {
  return helmAndCharts() ? test : test.skip;
}

/** Where each Istio chart of the Helm repository lives in the module's manifests/charts. */
const CHART_DIRS: { [chart: string]: string } = {
  base: 'base',
  istiod: 'istio-control/istio-discovery',
  cni: 'istio-cni',
  ztunnel: 'ztunnel',
  gateway: 'gateway',
};

/** One chart install as a delivery describes it (an Argo CD Application or a Flux HelmRelease). */
export interface ChartInstall {
  readonly kind: 'Application' | 'HelmRelease';
  readonly chart: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: any;
}

/** The Istio chart installs of a synthesized app, from its Applications and HelmReleases. */
export function chartInstalls(objects: any[]): ChartInstall[] {
  const out: ChartInstall[] = [];
  for (const o of objects) {
    if (o.kind === 'Application' && o.spec?.source?.chart) {
      const s = o.spec.source;
      out.push({ kind: 'Application', chart: s.chart, releaseName: s.helm?.releaseName ?? o.metadata.name, namespace: o.spec.destination.namespace, values: s.helm?.valuesObject ?? {} });
    }
    if (o.kind === 'HelmRelease') {
      out.push({ kind: 'HelmRelease', chart: o.spec.chart.spec.chart, releaseName: o.spec.releaseName ?? o.metadata.name, namespace: o.spec.targetNamespace, values: o.spec.values ?? {} });
    }
  }
  return out.filter(i => CHART_DIRS[i.chart]);
}

/** `helm template` of one install with Istio's chart: the rendered objects (Helm's errors throw). */
export function helmTemplate(install: ChartInstall): any[] {
  const { helm, charts } = helmAndCharts()!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
  const values = path.join(dir, 'values.yaml');
  fs.writeFileSync(values, yaml.stringify(install.values));
  const out = execFileSync(helm, ['template', install.releaseName, path.join(charts, CHART_DIRS[install.chart]), '--namespace', install.namespace, '-f', values],
    { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return yaml.parseAllDocuments(out).map(d => d.toJSON()).filter(o => o);
}

/**
 * The chart's default values (Istio wraps them in `_internal_defaults_do_not_set`), with its
 * legacy scopes: a block such as istiod's `pilot` that the chart copies to the top level
 * (templates/zzy_descope_legacy.yaml) takes the top level's keys.
 */
export function chartDefaults(chart: string): any {
  const { charts } = helmAndCharts()!;
  const dir = path.join(charts, CHART_DIRS[chart]);
  const values = yaml.parse(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf-8')) ?? {};
  const defaults = values._internal_defaults_do_not_set ?? values;
  const descope = path.join(dir, 'templates', 'zzy_descope_legacy.yaml');
  const scopes = fs.existsSync(descope) ? [...fs.readFileSync(descope, 'utf-8').matchAll(/index \$\.Values "([a-zA-Z]+)"/g)].map(m => m[1]) : [];
  // Istio's shared `global` block: a chart reads the keys its own `global` defaults declare, and the
  // top-level ones too when its zzz_profile.yaml flattens globals into the values (`if true`).
  const profile = fs.readFileSync(path.join(dir, 'templates', 'zzz_profile.yaml'), 'utf-8');
  const flattens = /\{\{-? if true \}\}\s*\{\{-? \$a := mustMergeOverwrite \$defaults \(\$profile\.global\)/.test(profile);
  const global = { ...defaults.global ?? {}, ...flattens ? defaults : {} };
  return { ...defaults, global, ...Object.fromEntries(scopes.map(scope => [scope, defaults])) };
}

/**
 * Key paths of `values` the chart does not declare (Helm renders them silently, and the chart
 * never reads them). Below a key the chart declares as an empty map, anything goes.
 */
export function undeclaredValues(values: any, defaults: any, prefix = ''): string[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const where = prefix ? `${prefix}.${key}` : key;
    // Every Istio chart takes a profile (an unknown one is Helm's error). meshConfig is istiod's MeshConfig,
    // which istiod reads leniently: istioctl-acceptance.test.ts checks the same meshConfig strictly
    // (the IstioOperator's spec.meshConfig is typed). resources are Kubernetes ResourceRequirements.
    if (!prefix && key === 'profile') continue;
    if (where === 'meshConfig' || key === 'resources') continue;
    if (defaults === null || typeof defaults !== 'object' || Array.isArray(defaults)) continue;
    if (!(key in defaults)) {
      out.push(where);
      continue;
    }
    const d = defaults[key];
    const freeForm = d !== null && typeof d === 'object' && !Array.isArray(d) && Object.keys(d).length === 0;
    if (!freeForm) out.push(...undeclaredValues(value, d, where));
  }
  return out;
}
