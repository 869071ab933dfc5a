import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';

/**
 * Validates objects against the official Istio 1.30.3 CRD schemas (the file the
 * library's validator ships, crds/istio-1.30.3.json), with ajv: a second,
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

// Compiled on first use: most suites touch only a few kinds.
const schemas = new Map<string, any>();
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

const crdLines = fs.readFileSync(path.join(__dirname, '..', '..', 'crds', 'istio-1.30.3.json'), 'utf8').split('\n').filter(Boolean);
for (const crd of crdLines.map(l => JSON.parse(l))) {
  for (const version of crd.spec.versions) {
    if (!version.served) continue;
    schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
  }
}

/** True when the object's apiVersion/kind is an Istio CRD we have a schema for. */
export function isIstioKind(obj: any): boolean {
  return schemas.has(`${obj?.apiVersion}/${obj?.kind}`);
}

function validatorFor(key: string): ValidateFunction | undefined {
  if (!validators.has(key) && schemas.has(key)) validators.set(key, ajv.compile(closeObjects(schemas.get(key), true)));
  return validators.get(key);
}

/** Returns schema errors of an Istio object (empty when valid). */
export function istioSchemaErrors(obj: any): string[] {
  const validate = validatorFor(`${obj.apiVersion}/${obj.kind}`);
  if (!validate) return [`no Istio 1.30.3 schema for ${obj.apiVersion} ${obj.kind}`];
  if (validate(obj)) return [];
  return (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}${e.params && (e.params as any).additionalProperty ? ` '${(e.params as any).additionalProperty}'` : ''}`);
}
