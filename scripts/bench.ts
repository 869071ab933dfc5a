/**
 * npm run bench: synth speed and memory at mesh scale, against plain cdk8s in the same run.
 *
 * For each N, a generated mesh of N services (two Deployments and a Service from
 * cdk8s-plus-28, a CanaryRelease with header routing, a JwtProtectedService, a route
 * on one shared MeshIngress; a ZeroTrustNamespace per 50 services; mesh analysis on)
 * is built and synthesized in a fresh process ("ours"). The baseline takes exactly
 * the objects ours emitted and synthesizes them as plain ApiObjects the same way. A
 * second baseline ("cdk8s-plus") builds the workloads with cdk8s-plus-28 exactly as ours
 * does and only the objects this library renders as plain ApiObjects: ours over it is
 * the cost of this library alone.
 * Every measurement runs in its own child process so peak RSS is per run.
 * Istio's validation at synth is measured by a third variant of ours with it off
 * ("ours, validation off"), and the validator's start-up by running it alone.
 *
 *   BENCH_SIZES=100,1000 BENCH_RUNS=3 npm run bench
 * Writes dist/bench/results.json.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryRelease, CanaryVersion, IngressGateway, JwtProtectedService, MeshAnalyzer, MeshIngress, ServiceReference, StringMatch, WorkloadSelector,
  ZeroTrustNamespace,
} from '../src';
import { findValidatorBinary } from '../src/analysis/istio-validator';
import { IstioVersion } from '../src/core/istio-version';

const root = path.resolve(__dirname, '..');
const PER_NAMESPACE = 50;

/** The user's own cdk8s-plus-28 objects for one service: two versions and a Service. */
function addWorkloads(chart: Chart, name: string) {
  const [stable, canary] = ['v1', 'v2'].map(version => {
    const labels = { app: name, version };
    const d = new kplus.Deployment(chart, `${name}-${version}`, {
      metadata: { name: `${name}-${version}` },
      select: false,
      podMetadata: { labels },
      containers: [{ image: `example/${name}:${version}`, ports: [{ number: 8080, name: 'http' }], securityContext: { user: 1000 } }],
    });
    d.select(kplus.LabelSelector.of({ labels }));
    return d;
  });
  const service = new kplus.Service(chart, `${name}-svc`, {
    metadata: { name },
    selector: kplus.Pods.select(chart, `${name}-pods`, { labels: { app: name } }),
    ports: [{ port: 8080, targetPort: 8080, name: 'http' }],
  });
  return { stable, canary, service };
}

function buildMesh(app: App, services: number): void {
  const edge = new Chart(app, 'edge', { namespace: 'istio-ingress' });
  const gateway = new IngressGateway(edge, 'gateway', { namespace: 'istio-ingress' });
  const ingress = new MeshIngress(edge, 'public', { gateway });
  const shop = ingress.addHost('shop.example.com', { credentialName: 'shop-cert' });
  for (let first = 0; first < services; first += PER_NAMESPACE) {
    const namespace = `team-${first / PER_NAMESPACE}`;
    const chart = new Chart(app, namespace, { namespace });
    new ZeroTrustNamespace(chart, 'zero-trust');
    for (let i = first; i < Math.min(services, first + PER_NAMESPACE); i++) {
      const name = `svc-${i}`;
      const { stable, canary, service } = addWorkloads(chart, name);
      const ref = ServiceReference.fromService(service);
      new CanaryRelease(chart, `${name}-canary`, {
        service: ref,
        stable: CanaryVersion.fromWorkload(stable),
        canary: CanaryVersion.fromWorkload(canary),
        canaryWeight: 10,
        canaryHeaders: { 'x-canary': StringMatch.exact('1') },
      });
      new JwtProtectedService(chart, `${name}-jwt`, {
        selector: WorkloadSelector.fromLabels({ app: name }),
        issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }],
      });
      shop.addRoute({ path: StringMatch.prefix(`/${name}/`), service: ref });
    }
  }
}

/** Peak resident memory of this process so far. */
function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Child process: one measured run. Prints {ms, objects, peakRssMb, analysisMs?} as JSON. */
function worker(mode: string, services: number, objectsFile: string): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${mode}-`));
  let result: any;
  if (mode === 'ours' || mode === 'ours-off') {
    if (mode === 'ours-off') process.env.CDK8S_ISTIO_VALIDATION = 'off';
    const start = process.hrtime.bigint();
    const app = new App({ outdir });
    buildMesh(app, services);
    app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const peakRssMb = maxRssMb(); // before the untimed work below
    if (mode === 'ours-off') {
      process.stdout.write(JSON.stringify({ ms, peakRssMb, outdir }));
      return;
    }
    // Not timed: the objects for the baseline (without re-analyzing per chart), and the
    // analysis alone (for the istioctl comparison).
    const analyzer = MeshAnalyzer.of(app);
    analyzer.enabled = false;
    const charts = app.charts.map(c => ({ id: c.node.id, namespace: c.namespace, objects: Testing.synth(c) }));
    fs.writeFileSync(objectsFile, JSON.stringify(charts));
    const a = process.hrtime.bigint();
    const findings = analyzer.analyze();
    const analysisMs = Number(process.hrtime.bigint() - a) / 1e6;
    if (findings.length) throw new Error(`the bench mesh has findings: ${findings.slice(0, 3).map(f => f.code + ' ' + f.message).join('; ')}`);
    result = { ms, objects: charts.reduce((n, c) => n + c.objects.length, 0), analysisMs, peakRssMb };
  } else {
    // baseline: every object as a plain ApiObject. plus: the workloads built with cdk8s-plus-28 as in
    // ours, everything this library renders as plain ApiObjects (isolates this library's own cost).
    const charts = JSON.parse(fs.readFileSync(objectsFile, 'utf-8'));
    const start = process.hrtime.bigint();
    const app = new App({ outdir });
    for (const c of charts) {
      const chart = new Chart(app, c.id, { namespace: c.namespace });
      const workloads = new Set<string>();
      const team = /^team-(\d+)$/.exec(c.id);
      if (mode === 'plus' && team) {
        for (let i = Number(team[1]) * PER_NAMESPACE; i < Math.min(services, (Number(team[1]) + 1) * PER_NAMESPACE); i++) {
          addWorkloads(chart, `svc-${i}`);
          for (const n of [`svc-${i}-v1`, `svc-${i}-v2`]) workloads.add(`Deployment/${n}`);
          workloads.add(`Service/svc-${i}`);
        }
      }
      c.objects.forEach((o: any, i: number) => {
        if (!workloads.has(`${o.kind}/${o.metadata.name}`)) new ApiObject(chart, `o${i}`, o);
      });
    }
    app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const objects = app.node.findAll().filter(o => o instanceof ApiObject).length;
    result = { ms, objects, peakRssMb: maxRssMb() };
  }
  result.outdir = outdir;
  process.stdout.write(JSON.stringify(result));
}

function run(mode: string, services: number, objectsFile: string): any {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'worker', mode, String(services), objectsFile], {
    cwd: root, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'scripts', 'tsconfig.json') },
  });
  if (r.status !== 0) throw new Error(`${mode} N=${services} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function istioctlAnalyzeMs(outdir: string): number | undefined {
  let istioctl: string;
  try {
    istioctl = execFileSync('bash', [path.join(root, 'scripts', 'istioctl.sh')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
  const start = process.hrtime.bigint();
  spawnSync(istioctl, ['analyze', '--all-namespaces', '--use-kube=false', outdir], { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The validator alone: Go start-up (no object), and start-up with the CRD schemas of every kind the bench emits. */
function validatorStartupMs(runs: number): { emptyMs: number; everyKindMs: number } {
  const binary = findValidatorBinary();
  if (!binary) throw new Error('the bench measures Istio\'s validation: build it first (bash scripts/validator.sh)');
  const kinds = [['networking.istio.io/v1', 'VirtualService'], ['networking.istio.io/v1', 'DestinationRule'], ['networking.istio.io/v1', 'Gateway'],
    ['security.istio.io/v1', 'AuthorizationPolicy'], ['security.istio.io/v1', 'RequestAuthentication'], ['security.istio.io/v1', 'PeerAuthentication']];
  // The validator's input: one object per line, then an end line.
  const one = kinds.map(([apiVersion, kind]) => JSON.stringify({ apiVersion, kind, metadata: { name: 'x', namespace: 'bench' }, spec: {} }) + '\n').join('') + '"end"\n';
  const time = (input: string) => median(Array.from({ length: Math.max(runs, 5) }, () => {
    const start = process.hrtime.bigint();
    const r = spawnSync(binary, ['validate', '--crds', IstioVersion._crdFile(IstioVersion.DEFAULT)], { input, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`validator failed: ${r.stderr}`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }));
  return { emptyMs: Math.round(time('"end"\n')), everyKindMs: Math.round(time(one)) };
}

function main(): void {
  const sizes = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const results: any[] = [];
  let analysisVsIstioctl: any;
  for (const services of sizes) {
    const objectsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'objects.json');
    const ours: any[] = [];
    const base: any[] = [];
    const plus: any[] = [];
    const off: any[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push(run('ours', services, objectsFile)); // interleaved, so machine noise hits every side alike
      off.push(run('ours-off', services, objectsFile));
      base.push(run('baseline', services, objectsFile));
      plus.push(run('plus', services, objectsFile));
    }
    for (const r of [...base, ...plus]) {
      if (r.objects !== ours[0].objects) throw new Error(`N=${services}: ours emitted ${ours[0].objects} objects, a baseline ${r.objects}`);
    }
    const row = {
      services,
      objects: ours[0].objects,
      oursMs: Math.round(median(ours.map(r => r.ms))),
      baselineMs: Math.round(median(base.map(r => r.ms))),
      ratio: 0,
      peakRssMb: Math.max(...ours.map(r => r.peakRssMb)),
      baselinePeakRssMb: Math.max(...base.map(r => r.peakRssMb)),
      analysisMs: Math.round(median(ours.map(r => r.analysisMs))),
      plusBaselineMs: Math.round(median(plus.map(r => r.ms))),
      ratioOverPlusBaseline: 0,
      validationOffMs: Math.round(median(off.map(r => r.ms))),
      validationAddedPercent: 0,
    };
    row.validationAddedPercent = Math.round(((row.oursMs - row.validationOffMs) / row.validationOffMs) * 1000) / 10;
    row.ratio = round2(row.oursMs / row.baselineMs);
    row.ratioOverPlusBaseline = round2(row.oursMs / row.plusBaselineMs);
    results.push(row);
    console.log(`N=${services}: ${row.objects} objects, ours ${row.oursMs} ms, baseline ${row.baselineMs} ms (ratio ${row.ratio}), `
      + `cdk8s-plus baseline ${row.plusBaselineMs} ms (ratio ${row.ratioOverPlusBaseline}), peak RSS ${row.peakRssMb} MB, analysis ${row.analysisMs} ms, `
      + `Istio's validation off ${row.validationOffMs} ms (validation adds ${row.validationAddedPercent}%)`);
    if (services === 1000) {
      const istioctlMs = istioctlAnalyzeMs(ours[0].outdir);
      if (istioctlMs !== undefined) {
        const ratio = Math.round((row.analysisMs / istioctlMs) * 1000) / 1000;
        analysisVsIstioctl = { services, analysisMs: row.analysisMs, istioctlMs: Math.round(istioctlMs), ratio };
        console.log(`N=1000: mesh analysis ${row.analysisMs} ms vs istioctl analyze --use-kube=false ${Math.round(istioctlMs)} ms`);
      }
    }
    for (const r of [...ours, ...off, ...base, ...plus]) fs.rmSync(r.outdir, { recursive: true, force: true });
  }
  const validatorStartup = validatorStartupMs(runs);
  console.log(`validator start-up: ${validatorStartup.emptyMs} ms with no object, ${validatorStartup.everyKindMs} ms with one object of each kind the bench emits`);
  const at = (n: number) => results.find(r => r.services === n);
  const growth = (key: string) => at(5000) && at(1000) ? round2(at(5000)[key] / at(1000)[key]) : undefined;
  const growth5kOver1k = growth('oursMs');
  const out = {
    machine: { cpus: os.cpus().length, node: process.version },
    runsPerSize: runs,
    results,
    growth5kOver1k,
    baselineGrowth5kOver1k: growth('baselineMs'),
    plusBaselineGrowth5kOver1k: growth('plusBaselineMs'),
    analysisVsIstioctl,
    validatorStartup,
  };
  fs.mkdirSync(path.join(root, 'dist', 'bench'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'bench', 'results.json'), JSON.stringify(out, null, 2) + '\n');
  console.log('\n| N | objects | ours ms | baseline ms | ratio | cdk8s-plus baseline ms | ratio | peak RSS MB | validation off ms | validation adds |'
    + '\n|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.services} | ${r.objects} | ${r.oursMs} | ${r.baselineMs} | ${r.ratio} | ${r.plusBaselineMs} | ${r.ratioOverPlusBaseline} | ${r.peakRssMb} `
      + `| ${r.validationOffMs} | ${r.validationAddedPercent}% |`);
  }
  if (growth5kOver1k !== undefined) {
    console.log(`growth time(5000)/time(1000): ours ${growth5kOver1k}, baseline ${out.baselineGrowth5kOver1k}, cdk8s-plus baseline ${out.plusBaselineGrowth5kOver1k}`);
  }
  console.log('written to dist/bench/results.json');
}

if (process.argv[2] === 'worker') worker(process.argv[3], Number(process.argv[4]), process.argv[5]);
else main();
