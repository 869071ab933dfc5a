import { PortProtocol, ServiceEntry, ServiceEntryLocation, ServiceEntryResolution, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

describe('ServiceEntry', () => {
  test('external HTTPS API with DNS resolution', () => {
    const c = chart();
    const se = new ServiceEntry(c, 'api', { hosts: ['api.example.com'], ports: [{ number: 443, protocol: PortProtocol.TLS, name: 'tls' }], exportTo: ['.'] });
    const out = only(synth(c), 'ServiceEntry');
    expect(out.spec).toEqual({ hosts: ['api.example.com'], ports: [{ number: 443, protocol: 'TLS', name: 'tls' }], location: 'MESH_EXTERNAL', resolution: 'DNS', exportTo: ['.'] });
    expect(se.hosts).toEqual(['api.example.com']);
    expect(out).toMatchSnapshot();
  });

  test('static endpoints and workload selector', () => {
    const c = chart();
    new ServiceEntry(c, 'db', { hosts: ['db.internal'], addresses: ['10.0.0.5/32'], ports: [{ number: 5432, protocol: PortProtocol.TCP }], resolution: ServiceEntryResolution.STATIC, location: ServiceEntryLocation.MESH_INTERNAL, endpoints: [{ address: '10.0.0.5', labels: { app: 'db' }, serviceAccount: 'db' }] });
    new ServiceEntry(c, 'vm', { hosts: ['vm.internal'], ports: [{ number: 8080, protocol: PortProtocol.HTTP }], resolution: ServiceEntryResolution.STATIC, workloadSelector: WorkloadSelector.fromLabels({ app: 'vm' }) });
    const out = synth(c).filter(o => o.kind === 'ServiceEntry');
    expect(out[0].spec.endpoints[0]).toEqual({ address: '10.0.0.5', labels: { app: 'db' }, serviceAccount: 'db' });
    expect(out[1].spec.workloadSelector).toEqual({ labels: { app: 'vm' } });
  });

  describe('rejects bad input', () => {
    test('TCP with resolution NONE and no addresses (IST0134)', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: ['db.example.com'], ports: [{ number: 5432, protocol: PortProtocol.TCP }], resolution: ServiceEntryResolution.NONE }))
        .toThrow(/ServiceEntry 'test\/se': a TCP port with resolution NONE needs addresses \(IST0134\)/);
    });
    test('DNS with wildcard host', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: ['*.example.com'], ports: [{ number: 443, protocol: PortProtocol.TLS }] })).toThrow(/resolution DNS cannot resolve wildcard hosts/);
    });
    test('STATIC without endpoints', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: ['a.example.com'], ports: [{ number: 80, protocol: PortProtocol.HTTP }], resolution: ServiceEntryResolution.STATIC })).toThrow(/resolution STATIC needs endpoints/);
    });
    test('no ports', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: ['a.example.com'], ports: [] })).toThrow(/ports must list at least one port/);
    });
    test('no hosts', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: [], ports: [{ number: 80, protocol: PortProtocol.HTTP }] })).toThrow(/hosts must name at least one host/);
    });
    test('endpoints and workloadSelector together', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: ['a.example.com'], ports: [{ number: 80, protocol: PortProtocol.HTTP }], resolution: ServiceEntryResolution.STATIC, endpoints: [{ address: '1.2.3.4' }], workloadSelector: WorkloadSelector.fromLabels({ app: 'a' }) })).toThrow(/endpoints and workloadSelector are exclusive/);
    });
    test('NONE with workloadSelector', () => {
      expect(() => new ServiceEntry(chart(), 'se', { hosts: ['a.example.com'], addresses: ['1.2.3.4'], ports: [{ number: 80, protocol: PortProtocol.HTTP }], resolution: ServiceEntryResolution.NONE, workloadSelector: WorkloadSelector.fromLabels({ app: 'a' }) })).toThrow(/resolution NONE with a workloadSelector is ignored/);
    });
  });
});
