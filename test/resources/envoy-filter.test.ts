import { EnvoyFilter, EnvoyPatchOperation, EnvoyPatchTarget, MeshAnalyzer, WorkloadSelector } from '../../src';
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

  test('a relative patch without priority is IST0151 (a suppressible warning, istioctl\'s semantics); REPLACE outside filters is IST0154', () => {
    const c = chart();
    const patch = (operation: EnvoyPatchOperation, applyTo = EnvoyPatchTarget.HTTP_FILTER) => [{ applyTo, operation, value: { name: 'x' } }];
    new EnvoyFilter(c, 'first', { configPatches: patch(EnvoyPatchOperation.INSERT_FIRST) }); // absolute: no warning
    new EnvoyFilter(c, 'before', { configPatches: patch(EnvoyPatchOperation.INSERT_BEFORE) });
    new EnvoyFilter(c, 'remove', { configPatches: [{ applyTo: EnvoyPatchTarget.HTTP_FILTER, operation: EnvoyPatchOperation.REMOVE }] });
    new EnvoyFilter(c, 'ordered', { priority: 10, configPatches: patch(EnvoyPatchOperation.INSERT_AFTER) });
    new EnvoyFilter(c, 'cluster', { priority: 1, configPatches: patch(EnvoyPatchOperation.REPLACE, EnvoyPatchTarget.CLUSTER) });
    new EnvoyFilter(c, 'vhost', { priority: 1, configPatches: patch(EnvoyPatchOperation.REPLACE, EnvoyPatchTarget.VIRTUAL_HOST) });
    const found = MeshAnalyzer.of(c).analyze().filter(f => f.code.startsWith('IST015')).map(f => `${f.code} ${f.path}`);
    expect(found).toEqual(['IST0151 test/before', 'IST0151 test/remove', 'IST0154 test/cluster']);
    const suppressed = chart();
    new EnvoyFilter(suppressed, 'before', {
      metadata: { annotations: { 'galley.istio.io/analyze-suppress': 'IST0151' } }, configPatches: patch(EnvoyPatchOperation.INSERT_BEFORE),
    });
    expect(MeshAnalyzer.of(suppressed).analyze().filter(f => f.code === 'IST0151')).toEqual([]);
  });

  test('rejects MERGE without a value', () => {
    expect(() => new EnvoyFilter(chart(), 'ef', { configPatches: [{ applyTo: EnvoyPatchTarget.CLUSTER, operation: EnvoyPatchOperation.MERGE }] })).toThrow(/with operation MERGE needs a value/);
  });

  test('rejects no patches', () => {
    expect(() => new EnvoyFilter(chart(), 'ef', { configPatches: [] })).toThrow(/configPatches must list at least one patch/);
  });
});
