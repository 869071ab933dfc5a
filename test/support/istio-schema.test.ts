import { istioSchemaErrors, isIstioKind } from './istio-schema';

// The schema check guards every other test, so it must itself be able to fail.
describe('Istio CRD schema check', () => {
  const vs = (spec: any) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec });

  test('accepts a valid object', () => {
    expect(istioSchemaErrors(vs({ hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] }))).toEqual([]);
  });

  test('rejects an unknown field', () => {
    expect(istioSchemaErrors(vs({ hosts: ['a'], htttp: [] })).join()).toMatch(/must NOT have additional properties 'htttp'/);
  });

  test('rejects a wrong type', () => {
    expect(istioSchemaErrors(vs({ hosts: 'a' })).join()).toMatch(/must be array/);
  });

  test('rejects an out-of-range int32', () => {
    expect(istioSchemaErrors(vs({ hosts: ['a'], http: [{ route: [{ destination: { host: 'a' }, weight: 2 ** 40 }] }] })).join()).toMatch(/must match format "int32"/);
  });

  test('knows served versions only', () => {
    expect(isIstioKind({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' })).toBe(true);
    expect(isIstioKind({ apiVersion: 'security.istio.io/v2', kind: 'AuthorizationPolicy' })).toBe(false);
  });
});

describe('per release', () => {
  const redirect = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r' }, spec: { hosts: ['a'], http: [{ redirect: { prefixRewrite: '/v2' } }] } };

  test('a field Istio 1.31 added passes its CRDs and not 1.30.3\'s', () => {
    expect(istioSchemaErrors(redirect, '1.31.4')).toEqual([]);
    expect(istioSchemaErrors(redirect, '1.30.3').join()).toMatch(/must NOT have additional properties 'prefixRewrite'/);
  });
});
