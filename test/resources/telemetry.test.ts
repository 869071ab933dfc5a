import { CustomTag, Telemetry, WorkloadMode, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('Telemetry', () => {
  test('tracing, metrics and access logging', () => {
    const c = chart('istio-system');
    new Telemetry(c, 'mesh-default', {
      metadata: { name: 'mesh-default' },
      tracing: [{ providers: ['zipkin'], randomSamplingPercentage: 10, customTags: { env: CustomTag.literal('prod'), user: CustomTag.header('x-user', 'anon'), pod: CustomTag.environment('POD_NAME') } }],
      metrics: [{ providers: ['prometheus'], overrides: [{ metric: 'REQUEST_COUNT', mode: WorkloadMode.CLIENT, tagOverrides: { request_protocol: { remove: true }, team: { value: '"shop"' } } }, { disabled: true, mode: WorkloadMode.SERVER }] }],
      accessLogging: [{ providers: ['envoy'], filter: 'response.code >= 400' }],
    });
    const out = only(synth(c), 'Telemetry');
    expect(out.apiVersion).toBe('telemetry.istio.io/v1');
    expect(out.spec.tracing[0].customTags.env).toEqual({ literal: { value: 'prod' } });
    expect(out.spec.metrics[0].overrides[0].tagOverrides).toEqual({ request_protocol: { operation: 'REMOVE' }, team: { operation: 'UPSERT', value: '"shop"' } });
    expect(out.spec.metrics[0].overrides[1].match).toEqual({ metric: 'ALL_METRICS', mode: 'SERVER' });
    expect(out.spec.accessLogging[0].filter).toEqual({ expression: 'response.code >= 400' });
    expect(out).toMatchSnapshot();
  });

  test('workload-scoped access logging', () => {
    const c = chart('shop');
    new Telemetry(c, 't', { selector: WorkloadSelector.fromLabels({ app: 'web' }), accessLogging: [{ disabled: true }] });
    expect(only(synth(c), 'Telemetry').spec).toEqual({ selector: { matchLabels: { app: 'web' } }, accessLogging: [{ disabled: true }] });
  });

  test('rejects a Telemetry with no settings', () => {
    expect(() => new Telemetry(chart(), 't', {})).toThrow(/Telemetry 'test\/t': has no tracing, metrics or accessLogging settings/);
  });

  test('rejects empty providers (IST0157)', () => {
    expect(() => new Telemetry(chart(), 't', { tracing: [{ providers: [] }] })).toThrow(/tracing\[0\]\.providers is an empty list, which Istio ignores \(IST0157\)/);
  });

  test('rejects a sampling percentage above 100', () => {
    expect(() => new Telemetry(chart(), 't', { tracing: [{ randomSamplingPercentage: 101 }] })).toThrow(/randomSamplingPercentage must be a percentage between 0 and 100, got 101/);
  });
});
