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
