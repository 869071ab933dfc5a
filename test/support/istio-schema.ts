import Ajv, { ValidateFunction } from 'ajv';
import * as crds from '../fixtures/istio-1.30.3-crd-schemas.json';

/**
 * Validates objects against the official Istio 1.30.3 CRD schemas
 * (descriptions removed, copied from shared/istio). Unlike the API server,
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

for (const crd of (crds as any).crds) {
  for (const version of crd.versions) {
    if (!version.served) continue;
    const key = `${crd.group}/${version.name}/${crd.kind}`;
    schemas.set(key, version.schema);
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
