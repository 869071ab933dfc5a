import { WorkloadEntry } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('WorkloadEntry', () => {
  test('a VM endpoint', () => {
    const c = chart('vm');
    new WorkloadEntry(c, 'vm1', { address: '10.1.2.3', labels: { app: 'legacy' }, ports: { http: 8080 }, serviceAccount: 'legacy', network: 'vm-net', locality: 'us-east/1a', weight: 2 });
    const out = only(synth(c), 'WorkloadEntry');
    expect(out.apiVersion).toBe('networking.istio.io/v1');
    expect(out.spec).toEqual({ address: '10.1.2.3', labels: { app: 'legacy' }, ports: { http: 8080 }, serviceAccount: 'legacy', network: 'vm-net', locality: 'us-east/1a', weight: 2 });
    expect(out).toMatchSnapshot();
  });

  test('rejects an entry without address or network', () => {
    expect(() => new WorkloadEntry(chart(), 'we', { labels: { app: 'x' } })).toThrow(/WorkloadEntry 'test\/we': spec needs an address/);
  });

  test('rejects an invalid port', () => {
    expect(() => new WorkloadEntry(chart(), 'we', { address: '1.2.3.4', ports: { http: 0 } })).toThrow(/spec.ports.http must be a port number, got 0/);
  });
});
