import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { IstioVersion } from '../../src/core/istio-version';

/**
 * Validates objects against the official Istio CRD schemas of a release (the files the
 * library's validator ships, crds/istio-<release>.json), with ajv: a second,
 * independent reading of the same schemas in the test suite. Unlike the API server,
 * which silently prunes unknown fields, we reject them: a field we emit that
 * Istio does not know is a bug.
 */
const ajv = new Ajv({ strict: false, allErrors: true });
const intRange = (min: number, max: number) => ({ type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
ajv.addFormat('int32', intRange(-(2 ** 31), 2 ** 31 - 1));
ajv.addFormat('uint32', intRange(0, 2 ** 32 - 1));
ajv.addFormat('int64', intRange(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
ajv.addFormat('uint64', intRange(0, Number.MAX_SAFE_INTEGER));
ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
ajv.addFormat('float', { type: 'number', validate: (n: number) => Number.isFinite(n) });
ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
ajv.addFormat('date-time', true);

// Read and compiled on first use: most suites touch only a few kinds of one release.
const schemas = new Map<string, Map<string, any>>();
const validators = new Map<string, ValidateFunction>();

function closeObjects(schema: any, isRoot: boolean): any {
  if (Array.isArray(schema)) return schema.map(s => closeObjects(s, false));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties'
      ? Object.fromEntries(Object.entries(v as any).map(([pk, pv]) => [pk, closeObjects(pv, false)]))
      : closeObjects(v, false);
  }
  if (!isRoot && out.type === 'object' && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

function schemasOf(release: string): Map<string, any> {
  let of = schemas.get(release);
  if (of) return of;
  of = new Map();
  const crdLines = fs.readFileSync(path.join(__dirname, '..', '..', 'crds', `istio-${release}.json`), 'utf8').split('\n').filter(Boolean);
  for (const crd of crdLines.map(l => JSON.parse(l))) {
    for (const version of crd.spec.versions) {
      if (version.served) of.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
    }
  }
  schemas.set(release, of);
  return of;
}

/** True when the object's apiVersion/kind is an Istio CRD we have a schema for. */
export function isIstioKind(obj: any): boolean {
  return schemasOf(IstioVersion.DEFAULT).has(`${obj?.apiVersion}/${obj?.kind}`);
}

function validatorFor(release: string, key: string): ValidateFunction | undefined {
  const id = `${release} ${key}`;
  const schema = schemasOf(release).get(key);
  if (!validators.has(id) && schema) validators.set(id, ajv.compile(closeObjects(schema, true)));
  return validators.get(id);
}

/** Returns schema errors of an Istio object (empty when valid) under the CRDs of `release` (a carried one, e.g. '1.30.3'). */
export function istioSchemaErrors(obj: any, release: string = IstioVersion.DEFAULT): string[] {
  const validate = validatorFor(release, `${obj.apiVersion}/${obj.kind}`);
  if (!validate) return [`no Istio ${release} schema for ${obj.apiVersion} ${obj.kind}`];
  if (validate(obj)) return [];
  return (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}${e.params && (e.params as any).additionalProperty ? ` '${(e.params as any).additionalProperty}'` : ''}`);
}
