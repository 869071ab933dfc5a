import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from '../core/package-root';

/** Where the validator looks for its binary first: a path set by the user. @internal */
export const VALIDATOR_ENV = 'CDK8S_ISTIO_VALIDATOR';
/** `off` turns Istio's validation off for every app of the process (e.g. a CI job that has no binary). @internal */
export const VALIDATION_SWITCH_ENV = 'CDK8S_ISTIO_VALIDATION';

/** The Istio version whose CRD schemas judge the objects. @internal */
export const TARGET_ISTIO_VERSION = '1.30.3';


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

/** The line after which the validator prints its results (go/cmd/istio-validator). */
const RESULTS_MARKER = '--- istio-validator results ---';

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

/** The CRD file of the targeted Istio version, shipped in the package. @internal */
export function crdFile(): string {
  return path.join(PACKAGE_ROOT, 'crds', `istio-${TARGET_ISTIO_VERSION}.json`);
}

/** True for objects our CRD files describe and Istio's validation knows. @internal */
export function isValidatedKind(json: any): boolean {
  const apiVersion = json?.apiVersion;
  // install.istio.io (IstioOperator) has no CRD any more; istioctl judges it when it installs.
  return typeof apiVersion === 'string' && /^[a-z.]+\.istio\.io\//.test(apiVersion) && !apiVersion.startsWith('install.istio.io/');
}

// Results by object JSON: tests and programs that synthesize the same objects again
// (a second synth, snapshot tests) do not start the validator again for them.
const cache = new Map<string, ValidationResult>();
const CLEAN: ValidationResult = { errors: [], warnings: [] };

/**
 * Runs Istio's own validation (the admission webhook's code) and the API server's
 * CRD checks (schema, unknown fields, CEL rules) over `objects`, in one process
 * start. Returns one result per object, in order. Throws with a message saying how
 * to get the binary when there is none for this platform.
 * @internal
 */
export function validateWithIstio(objects: any[]): ValidationResult[] {
  const keys = objects.map(o => JSON.stringify(o));
  const todo = [...new Set(keys.filter(k => !cache.has(k)))];
  if (todo.length > 0) {
    const binary = findValidatorBinary();
    if (!binary) {
      throw new Error(`Istio's validation needs the validator binary for ${process.platform}-${process.arch}, and none was found. `
        + `npm installs it with cdk8s-istio as the optional package '${platformPackageName()}'; in a checkout of cdk8s-istio, 'bash scripts/validator.sh' builds it. `
        + `Or set ${VALIDATOR_ENV} to its path. To synthesize without it (Istio's admission webhook then judges the objects only when they are applied): `
        + `MeshAnalyzer.of(app).istioValidation = false, or ${VALIDATION_SWITCH_ENV}=off.`);
    }
    const run = spawnSync(binary, ['validate', '--crds', crdFile()], {
      input: `[${todo.join(',')}]`,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (run.error || run.status !== 0) {
      const why = run.error ? run.error.message : (run.stderr || `exit code ${run.status}`).trim();
      throw new Error(`Istio's validation could not run (${binary}): ${why}`);
    }
    // Istio's packages may log to stdout while they initialise: the results follow the marker.
    const at = run.stdout.lastIndexOf(RESULTS_MARKER);
    if (at < 0) throw new Error(`Istio's validation gave no results (${binary}): ${run.stdout.slice(0, 500)}`);
    const found = new Map<number, ValidationResult>();
    for (const r of JSON.parse(run.stdout.slice(at + RESULTS_MARKER.length)) as Array<{ index: number; errors?: string[]; warnings?: string[] }>) {
      found.set(r.index, { errors: r.errors ?? [], warnings: r.warnings ?? [] });
    }
    todo.forEach((k, i) => cache.set(k, found.get(i) ?? CLEAN));
  }
  return keys.map(k => cache.get(k)!);
}
