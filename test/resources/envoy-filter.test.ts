import { EnvoyFilter, EnvoyPatchOperation, EnvoyPatchTarget, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('EnvoyFilter', () => {
  test('stays on v1alpha3 and passes raw match and value through', () => {
    const c = chart('istio-system');
    new EnvoyFilter(c, 'lua', {
      workloadSelector: WorkloadSelector.fromLabels({ istio: 'ingressgateway' }),
      priority: 10,
      configPatches: [{
        applyTo: EnvoyPatchTarget.HTTP_FILTER,
        match: { context: 'GATEWAY', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager', subFilter: { name: 'envoy.filters.http.router' } } } } },
        operation: EnvoyPatchOperation.INSERT_BEFORE,
        value: { name: 'envoy.lua', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua', 'inlineCode': 'function envoy_on_request(h) end' } },
      }],
    });
    const out = only(synth(c), 'EnvoyFilter');
    expect(out.apiVersion).toBe('networking.istio.io/v1alpha3');
    expect(out.spec.configPatches[0].patch.operation).toBe('INSERT_BEFORE');
    expect(out.spec.workloadSelector).toEqual({ labels: { istio: 'ingressgateway' } });
    expect(out).toMatchSnapshot();
  });

  test('rejects a relative patch without priority (IST0151)', () => {
    expect(() => new EnvoyFilter(chart(), 'ef', { configPatches: [{ applyTo: EnvoyPatchTarget.HTTP_FILTER, operation: EnvoyPatchOperation.INSERT_FIRST, value: {} }] }))
      .toThrow(/EnvoyFilter 'test\/ef': configPatches\[0\] uses INSERT_FIRST, whose result depends on other EnvoyFilters; set priority \(IST0151\)/);
  });

  test('rejects REPLACE outside filters (IST0154)', () => {
    expect(() => new EnvoyFilter(chart(), 'ef', { priority: 1, configPatches: [{ applyTo: EnvoyPatchTarget.CLUSTER, operation: EnvoyPatchOperation.REPLACE, value: {} }] })).toThrow(/REPLACE only works on HTTP_FILTER or NETWORK_FILTER \(IST0154\)/);
  });

  test('rejects MERGE without a value', () => {
    expect(() => new EnvoyFilter(chart(), 'ef', { configPatches: [{ applyTo: EnvoyPatchTarget.CLUSTER, operation: EnvoyPatchOperation.MERGE }] })).toThrow(/with operation MERGE needs a value/);
  });

  test('rejects no patches', () => {
    expect(() => new EnvoyFilter(chart(), 'ef', { configPatches: [] })).toThrow(/configPatches must list at least one patch/);
  });
});
