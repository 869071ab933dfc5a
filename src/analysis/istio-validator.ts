import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IstioVersion } from '../core/istio-version';
import { PACKAGE_ROOT } from '../core/package-root';
import { TrafficApi } from '../core/traffic-api';

/** Where the validator looks for its binary first: a path set by the user. @internal */
export const VALIDATOR_ENV = 'CDK8S_ISTIO_VALIDATOR';
/** `off` turns Istio's validation off for every app of the process (e.g. a CI job that has no binary). @internal */
export const VALIDATION_SWITCH_ENV = 'CDK8S_ISTIO_VALIDATION';

/** How the validator marks a CRD-schema error (the API server's check) apart from Istio's own. @internal */
export const SCHEMA_PREFIX = 'schema: ';

/** What Istio's code found in one object. @internal */
export interface ValidationResult {
  readonly errors: string[];
  readonly warnings: string[];
}

/** The npm package that carries the validator binary for this machine (an optional dependency). @internal */
export function platformPackageName(): string {
  return `cdk8s-istio-validator-${process.platform}-${process.arch}`;
}

const binaryName = process.platform === 'win32' ? 'istio-validator.exe' : 'istio-validator';

/**
 * Finds the validator binary: `$CDK8S_ISTIO_VALIDATOR`, then the platform package
 * npm installed beside this library, then `.validator/<platform>-<arch>/` in a
 * checkout of this repository (where `scripts/validator.sh` puts it).
 * @internal
 */
export function findValidatorBinary(): string | undefined {
  const fromEnv = process.env[VALIDATOR_ENV];
  if (fromEnv) return fromEnv;
  try {
    const pkg = require.resolve(`${platformPackageName()}/package.json`, { paths: [PACKAGE_ROOT] });
    const bin = path.join(path.dirname(pkg), 'bin', binaryName);
    if (fs.existsSync(bin)) return bin;
  } catch {
    // not installed: try the checkout location
  }
  const local = path.join(PACKAGE_ROOT, '.validator', `${process.platform}-${process.arch}`, binaryName);
  return fs.existsSync(local) ? local : undefined;
}

/** True for objects our CRD files describe and Istio's validation knows. @internal */
export function isValidatedKind(json: any): boolean {
  const apiVersion = json?.apiVersion;
  // install.istio.io (IstioOperator) has no CRD any more; istioctl judges it when it installs.
  return typeof apiVersion === 'string' && !apiVersion.startsWith('install.istio.io/')
    && (/^[a-z.]+\.istio\.io\//.test(apiVersion) || apiVersion.startsWith('gateway.networking.k8s.io/'));
}

// Results by object JSON: tests and programs that synthesize the same objects again
// (a second synth, snapshot tests) do not send them to the validator again.
const cache = new Map<string, ValidationResult>();
const CLEAN: ValidationResult = { errors: [], warnings: [] };
/** How long a run may take before it counts as hung (a validator that died without a word). */
const TIMEOUT_MS = 10 * 60 * 1000;

/**
 * One judgement of an app's objects by Istio's own validation (the admission
 * webhook's code) and the API server's CRD checks (schema, unknown fields, CEL
 * rules). The validator runs beside the caller: objects submitted while the app
 * is still being rendered are judged meanwhile, on the other cores, and `finish()`
 * waits for what is left. Synth is synchronous, so the objects travel through a
 * file the validator follows and the verdict comes back in another.
 * @internal
 */
export class ValidationRun {
  private readonly keys: string[] = [];
  private readonly sent = new Map<string, number>();
  private started?: { dir: string; input: number; output: string; errors: string; child: ChildProcess; binary: string };

  /**
   * @param istioCrds the Istio CRD file of the release the app targets (IstioVersion)
   * @param gatewayApiCrds the Gateway API CRD file the app targets (its objects are judged by
   * that version and channel; the same object can pass one channel and fail the other)
   */
  constructor(private readonly istioCrds: string, private readonly gatewayApiCrds: string) {}

  /** Adds an object; it is sent to the validator at once unless its verdict is known. */
  public submit(json: any): void {
    const key = JSON.stringify(json);
    const cacheKey = this.cacheKey(key);
    this.keys.push(cacheKey);
    if (cache.has(cacheKey) || this.sent.has(key)) return;
    const run = this.started ?? this.start();
    this.sent.set(key, this.sent.size);
    fs.writeSync(run.input, key + '\n');
  }

  /** Waits for the verdict; returns one result per submitted object, in order. */
  public finish(): ValidationResult[] {
    const run = this.started;
    if (run) {
      try {
        fs.writeSync(run.input, '"end"\n');
        fs.closeSync(run.input);
        const found = new Map<number, ValidationResult>();
        for (const r of this.waitForVerdict(run)) found.set(r.index, { errors: r.errors ?? [], warnings: r.warnings ?? [] });
        for (const [key, i] of this.sent) cache.set(this.cacheKey(key), found.get(i) ?? CLEAN);
      } finally {
        this.cleanUp();
      }
    }
    return this.keys.map(k => cache.get(k)!);
  }

  /** A verdict holds for the CRD files that judged it: the same object can pass one release's schema and fail another's. */
  private cacheKey(json: string): string {
    return `${this.istioCrds}\n${this.gatewayApiCrds}\n${json}`;
  }

  /** Stops the validator when the caller fails before finishing. */
  public abort(): void {
    this.cleanUp();
  }

  private start(): NonNullable<ValidationRun['started']> {
    const binary = findValidatorBinary();
    if (!binary) {
      throw new Error(`Istio's validation needs the validator binary for ${process.platform}-${process.arch}, and none was found. `
        + `npm installs it with cdk8s-istio as the optional package '${platformPackageName()}'; in a checkout of cdk8s-istio, 'bash scripts/validator.sh' builds it. `
        + `Or set ${VALIDATOR_ENV} to its path. To synthesize without it (Istio's admission webhook then judges the objects only when they are applied): `
        + `MeshAnalyzer.of(app).istioValidation = false, or ${VALIDATION_SWITCH_ENV}=off.`);
    }
    try {
      fs.accessSync(binary, fs.constants.X_OK);
    } catch (e: any) {
      // spawn() reports a missing binary only on the event loop, which a synth never reaches.
      throw new Error(`Istio's validation could not run (${binary}): ${e.message}`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-validation-'));
    const inputFile = path.join(dir, 'objects.ndjson');
    const output = path.join(dir, 'verdict.json');
    const errors = path.join(dir, 'stderr.txt');
    const input = fs.openSync(inputFile, 'w');
    const errorsFd = fs.openSync(errors, 'w');
    const child = spawn(binary, ['validate', '--crds', this.istioCrds, '--crds', this.gatewayApiCrds, '--input', inputFile, '--output', output], { stdio: ['ignore', 'ignore', errorsFd] });
    fs.closeSync(errorsFd);
    child.unref();
    this.started = { dir, input, output, errors, child, binary };
    return this.started;
  }

  private waitForVerdict(run: NonNullable<ValidationRun['started']>): Array<{ index: number; errors?: string[]; warnings?: string[] }> {
    const deadline = Date.now() + TIMEOUT_MS;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(run.output)) {
      const stderr = fs.readFileSync(run.errors, 'utf8');
      // It has died if it said so (its own errors, a Go panic): its exit is only seen on the event loop.
      if (/^(istio-validator|panic|fatal error):/m.test(stderr) || Date.now() > deadline) {
        throw new Error(`Istio's validation did not answer (${run.binary}): ${stderr.trim().slice(-2000) || 'no output'}`);
      }
      Atomics.wait(sleeper, 0, 0, 1); // a synchronous 1 ms sleep
    }
    const verdict = JSON.parse(fs.readFileSync(run.output, 'utf8'));
    if (!Array.isArray(verdict)) throw new Error(`Istio's validation could not run (${run.binary}): ${verdict.error}`);
    return verdict;
  }

  private cleanUp(): void {
    const run = this.started;
    if (!run) return;
    this.started = undefined;
    try {
      fs.closeSync(run.input);
    } catch {
      // already closed by finish()
    }
    if (run.child.exitCode === null) run.child.kill();
    fs.rmSync(run.dir, { recursive: true, force: true });
  }
}

/**
 * Judges `objects` in one run (see `ValidationRun`): Istio's by the CRDs of the default Istio
 * release, Gateway API ones by the standard channel of its default release. @internal
 */
export function validateWithIstio(objects: any[], gatewayApiCrds = TrafficApi.gatewayApi()._crdFile): ValidationResult[] {
  const run = new ValidationRun(IstioVersion._crdFile(IstioVersion.DEFAULT), gatewayApiCrds);
  try {
    objects.forEach(o => run.submit(o));
    return run.finish();
  } catch (e) {
    run.abort();
    throw e;
  }
}
