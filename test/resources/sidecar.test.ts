import { CaptureMode, OutboundTrafficMode, PortProtocol, Sidecar, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('Sidecar', () => {
  test('namespace-wide egress restriction with REGISTRY_ONLY', () => {
    const c = chart('shop');
    new Sidecar(c, 'default', { metadata: { name: 'default' }, egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY });
    const out = only(synth(c), 'Sidecar');
    expect(out.spec).toEqual({ egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
    expect(out).toMatchSnapshot();
  });

  test('workload ingress listener', () => {
    const c = chart('shop');
    new Sidecar(c, 'ratings', { workloadSelector: WorkloadSelector.fromLabels({ app: 'ratings' }), ingress: [{ port: { number: 9080, protocol: PortProtocol.HTTP, name: 'http' }, defaultEndpoint: '127.0.0.1:8080', captureMode: CaptureMode.DEFAULT }] });
    const out = only(synth(c), 'Sidecar');
    expect(out.spec.workloadSelector).toEqual({ labels: { app: 'ratings' } });
    expect(out.spec.ingress[0].defaultEndpoint).toBe('127.0.0.1:8080');
  });

  describe('rejects bad input', () => {
    test('egress host without namespace', () => {
      expect(() => new Sidecar(chart(), 'sc', { egress: [{ hosts: ['reviews'] }] })).toThrow(/Sidecar 'test\/sc': egress\[0\]\.hosts\[0\] must be in 'namespace\/host' form/);
    });
    test('duplicated egress host', () => {
      expect(() => new Sidecar(chart(), 'sc', { egress: [{ hosts: ['./*', './*'] }] })).toThrow(/egress\[0\]\.hosts\[1\] '.\/\*' is duplicated/);
    });
    test('empty egress hosts', () => {
      expect(() => new Sidecar(chart(), 'sc', { egress: [{ hosts: [] }] })).toThrow(/egress\[0\]\.hosts must list at least one/);
    });
  });
});
