import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { BROKEN_CORPUS, BrokenCase, VALID_CONTROLS } from './broken-corpus';
import { MeshAnalyzer } from '../../src';
import { istioctl, withIstioctl } from '../support/istioctl';
import { withoutSchemaCheck } from '../support/schema-setup';

// Every deliberately broken configuration of the corpus must fail our synth (Istio's
// validation and the CRD schema run at synth time) with a finding that names the
// object (never with a crash), and nothing `istioctl validate` rejects may get
// through. The agreement figure goes to stderr.

interface Verdict {
  /** Synth threw, or istioctl failed. */
  readonly rejected: boolean;
  /** Synth failed with cdk8s' validation error naming the object, not with a crash. */
  readonly finding: boolean;
  readonly message: string;
}

/** A chart in a fresh app with the case's objects, the analysis attached. */
function chartOf(c: BrokenCase): Chart {
  const chart = new Chart(Testing.app(), 'corpus');
  MeshAnalyzer.of(chart);
  c.build(chart);
  return chart;
}

const synthVerdicts = new Map<BrokenCase, Verdict>();

/** The library's verdict: does synth throw, and with a finding? (memoized: several tests ask). */
function synthVerdict(c: BrokenCase): Verdict {
  if (!synthVerdicts.has(c)) {
    const chart = chartOf(c);
    // The analysis prints its warnings (EnvoyFilter's, say) to stderr: not this test's output.
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      withoutSchemaCheck(() => Testing.synth(chart));
      synthVerdicts.set(c, { rejected: false, finding: false, message: '' });
    } catch (e) {
      const message = (e as Error).message;
      const finding = message.startsWith('Validation failed with the following errors:') && /\('corpus\/[^']+'\)/.test(message);
      synthVerdicts.set(c, { rejected: true, finding, message: finding ? message : `${(e as Error).stack}` });
    } finally {
      quiet.mockRestore();
    }
  }
  return synthVerdicts.get(c)!;
}

/** The case's objects as YAML, with our analysis and validation off. */
function yamlOf(c: BrokenCase): string {
  const chart = chartOf(c);
  MeshAnalyzer.of(chart).istioValidation = false;
  MeshAnalyzer.of(chart).enabled = false;
  return withoutSchemaCheck(() => Yaml.stringify(...Testing.synth(chart)));
}

/** istioctl validate's verdict on one file: a non-zero exit or an error line is a rejection. */
function istioctlValidate(file: string): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const child = spawn(istioctl()!, ['validate', '-f', file]);
    let output = '';
    child.stdout.on('data', d => output += d);
    child.stderr.on('data', d => output += d);
    child.on('error', reject);
    child.on('close', code => {
      const rejected = code !== 0 || /^Error/m.test(output);
      resolve({ rejected, finding: rejected, message: output.trim() });
    });
  });
}

/** istioctl's verdicts on `cases`: one process per case, a few at a time. */
async function istioctlVerdicts(cases: BrokenCase[]): Promise<Verdict[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-corpus-'));
  try {
    const files = cases.map((c, i) => {
      const file = path.join(dir, `case-${i}.yaml`);
      fs.writeFileSync(file, yamlOf(c));
      return file;
    });
    const verdicts: Verdict[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < files.length; i = next++) verdicts[i] = await istioctlValidate(files[i]);
    };
    await Promise.all(Array.from({ length: Math.max(2, os.cpus().length) }, worker));
    return verdicts;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const KINDS = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'WorkloadEntry',
  'PeerAuthentication', 'RequestAuthentication', 'AuthorizationPolicy', 'Telemetry', 'EnvoyFilter'];
const byName = (name: string) => BROKEN_CORPUS.find(c => c.name === name)!;

describe('broken corpus', () => {
  test('holds at least 110 uniquely named cases covering every Istio kind', () => {
    expect(BROKEN_CORPUS.length).toBeGreaterThanOrEqual(110);
    expect(new Set(BROKEN_CORPUS.map(c => c.name)).size).toBe(BROKEN_CORPUS.length);
    for (const k of KINDS) expect(BROKEN_CORPUS.filter(c => c.name.startsWith(`${k}:`)).length).toBeGreaterThanOrEqual(5);
  });

  // The helpers build valid objects: a rejection below is the case's own mistake.
  test.each(VALID_CONTROLS)('control: a valid $name synthesizes', c => {
    expect(synthVerdict(c)).toEqual({ rejected: false, finding: false, message: '' });
  });

  test.each(BROKEN_CORPUS)('synth rejects: $name', c => {
    const verdict = synthVerdict(c);
    expect(verdict.rejected).toBe(true);
    expect(verdict.finding ? '' : verdict.message).toBe('');
  });

  withIstioctl()('istioctl validate accepts the controls, and whatever it rejects synth rejects too (agreement figure)', async () => {
    const controls = await istioctlVerdicts(VALID_CONTROLS);
    expect(controls.map((v, i) => [VALID_CONTROLS[i].name, v.rejected ? v.message : ''])).toEqual(VALID_CONTROLS.map(c => [c.name, '']));

    const verdicts = await istioctlVerdicts(BROKEN_CORPUS);
    const rows = BROKEN_CORPUS.map((c, i) => ({ case: c, istioctl: verdicts[i], synth: synthVerdict(c) }));
    const judged = rows.filter(r => r.istioctl.rejected);
    const agreed = judged.filter(r => r.synth.rejected);
    process.stderr.write(`broken corpus: ${rows.length} cases; istioctl rejects ${judged.length}, synth rejects ${rows.filter(r => r.synth.rejected).length} `
      + `(${rows.filter(r => r.synth.finding).length} with a finding); of istioctl's ${judged.length}, synth rejects ${agreed.length} `
      + `(${Math.round(100 * agreed.length / judged.length)}%)\n`);

    // Nothing istioctl rejects gets through synth.
    expect(judged.filter(r => !r.synth.rejected).map(r => `${r.case.name}: ${r.istioctl.message}`)).toEqual([]);
  });

  describe('the message names the code, the object and its construct path', () => {
    test.each([
      ['IST0106, Istio\'s validation', 'VirtualService: negative retry attempts',
        /IST0106 VirtualService shop\/x \('corpus\/x'\): Istio's validation rejects it: attempts cannot be negative/],
      ['IST0106, a spec Istio cannot parse', 'PeerAuthentication: port-level key not a number',
        /IST0106 PeerAuthentication shop\/x \('corpus\/x'\): Istio's validation rejects it: cannot parse spec: /],
      ['IST0106, a policy rule', 'AuthorizationPolicy: CUSTOM without provider',
        /IST0106 AuthorizationPolicy shop\/x \('corpus\/x'\): Istio's validation rejects it: .*`provider.name` must not be empty/],
      ['CDK8SISTIO004, the CRD schema', 'Gateway: port number as a numeric string',
        /CDK8SISTIO004 Gateway shop\/x \('corpus\/x'\): the Kubernetes API server would reject it .*\(Istio 1\.31\.4 CRD schema\): spec\.servers\[0\]\.port\.number/],
    ])('%s (%s)', (_, name, expected) => {
      expect(synthVerdict(byName(name)).message).toMatch(expected);
    });
  });
});
