import { Duration } from 'cdk8s';
import { ClientTlsMode, ConsistentHash, DestinationRule, H2UpgradePolicy, SimpleLoadBalancer, WorkloadSelector } from '../../src';
import { chart, only, synth } from '../support/synth';

const host = 'reviews.default.svc.cluster.local';

describe('DestinationRule', () => {
  test('subsets and a full traffic policy', () => {
    const c = chart();
    const dr = new DestinationRule(c, 'reviews', {
      metadata: { name: 'reviews' },
      host,
      exportTo: ['.'],
      trafficPolicy: {
        loadBalancer: {
          consistentHash: ConsistentHash.httpCookie('user', { path: '/', ttl: Duration.hours(1) }, { ringHashMinimumRingSize: 1024 }),
          localityLbSetting: { enabled: true, failover: [{ from: 'us-east', to: 'us-west' }] },
          warmup: Duration.seconds(30),
        },
        connectionPool: {
          tcp: {
            maxConnections: 100,
            connectTimeout: Duration.millis(30),
            tcpKeepalive: { time: Duration.hours(2), interval: Duration.seconds(75) },
          },
          http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, h2UpgradePolicy: H2UpgradePolicy.UPGRADE },
        },
        outlierDetection: { consecutive5xxErrors: 7, interval: Duration.minutes(5), baseEjectionTime: Duration.minutes(15), maxEjectionPercent: 50 },
        tls: { mode: ClientTlsMode.ISTIO_MUTUAL },
        portLevelSettings: [{ port: 9080, loadBalancer: { simple: SimpleLoadBalancer.LEAST_REQUEST } }],
      },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { simple: SimpleLoadBalancer.RANDOM } } },
      ],
    });
    dr.addSubset({ name: 'v3', labels: { version: 'v3' } });
    const out = only(synth(c), 'DestinationRule');
    expect(out.apiVersion).toBe('networking.istio.io/v1');
    expect(out.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3']);
    expect(out.spec.trafficPolicy.loadBalancer.consistentHash).toEqual({ httpCookie: { name: 'user', path: '/', ttl: '1h' }, ringHash: { minimumRingSize: 1024 } });
    expect(out.spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize).toBeUndefined();
    expect(out.spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(7);
    expect(out.spec.trafficPolicy.outlierDetection.consecutiveErrors).toBeUndefined();
    expect(out.spec.trafficPolicy.portLevelSettings[0].port).toEqual({ number: 9080 });
    expect(dr.subsetNames).toEqual(['v1', 'v2', 'v3']);
    expect(out).toMatchSnapshot();
  });

  test('consistent hash variants and client TLS', () => {
    const c = chart();
    new DestinationRule(c, 'a', { host: 'a', trafficPolicy: { loadBalancer: { consistentHash: ConsistentHash.httpHeader('x-user') } } });
    new DestinationRule(c, 'b', { host: 'b', trafficPolicy: { loadBalancer: { consistentHash: ConsistentHash.sourceIp({ maglevTableSize: 65537 }) } } });
    new DestinationRule(c, 'c', { host: 'api.example.com', trafficPolicy: { tls: { mode: ClientTlsMode.SIMPLE, sni: 'api.example.com', caCertificates: '/etc/ca.pem', subjectAltNames: ['api.example.com'] } } });
    new DestinationRule(c, 'd', { host: 'd', workloadSelector: WorkloadSelector.fromLabels({ app: 'client' }), trafficPolicy: { loadBalancer: { consistentHash: ConsistentHash.queryParameter('user') } } });
    const drs = synth(c).filter(o => o.kind === 'DestinationRule');
    expect(drs[0].spec.trafficPolicy.loadBalancer.consistentHash).toEqual({ httpHeaderName: 'x-user' });
    expect(drs[1].spec.trafficPolicy.loadBalancer.consistentHash).toEqual({ useSourceIp: true, maglev: { tableSize: 65537 } });
    expect(drs[2].spec.trafficPolicy.tls.sni).toBe('api.example.com');
    expect(drs[3].spec.workloadSelector).toEqual({ matchLabels: { app: 'client' } });
  });

  describe('rejects bad input', () => {
    test('duplicate subset names', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }] }))
        .toThrow(/DestinationRule 'test\/dr': subsets\[1\]\.name 'v1' is already defined/);
    });
    test('subset without labels', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, subsets: [{ name: 'v1', labels: {} }] })).toThrow(/subsets\[0\]\.labels is empty/);
    });
    test('invalid subset name', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, subsets: [{ name: 'V1', labels: { version: 'v1' } }] })).toThrow(/subsets\[0\]\.name must be a DNS-1123 label/);
    });
    test('simple and consistentHash together', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { loadBalancer: { simple: SimpleLoadBalancer.RANDOM, consistentHash: ConsistentHash.sourceIp() } } })).toThrow(/sets both simple and consistentHash/);
    });
    test('ring hash and maglev together', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { loadBalancer: { consistentHash: ConsistentHash.sourceIp({ ringHashMinimumRingSize: 1, maglevTableSize: 7 }) } } })).toThrow(/sets both ringHashMinimumRingSize and maglevTableSize/);
    });
    test('local-origin failures without the split', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { outlierDetection: { consecutiveLocalOriginFailures: 3 } } })).toThrow(/only takes effect with splitExternalLocalOriginErrors/);
    });
    test('MUTUAL without certificates', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { tls: { mode: ClientTlsMode.MUTUAL } } })).toThrow(/MUTUAL TLS needs credentialName, or clientCertificate and privateKey/);
    });
    test('max ejection percent over 100', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { outlierDetection: { maxEjectionPercent: 150 } } })).toThrow(/maxEjectionPercent must be a percentage between 0 and 100, got 150/);
    });
    test('duplicate port-level settings', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { portLevelSettings: [{ port: 80 }, { port: 80 }] } })).toThrow(/portLevelSettings\[1\]\.port 80 appears twice/);
    });
    test('negative connection limit', () => {
      expect(() => new DestinationRule(chart(), 'dr', { host, trafficPolicy: { connectionPool: { tcp: { maxConnections: -1 } } } })).toThrow(/tcp.maxConnections must be a non-negative integer/);
    });
  });
  test('rejects a hash cookie ttl under a second (Envoy would make it a session cookie)', () => {
    const c = chart();
    expect(() => new DestinationRule(c, 'a', { host: 'a', trafficPolicy: { loadBalancer: { consistentHash: ConsistentHash.httpCookie('user', { ttl: Duration.millis(500) }) } } }))
      .toThrow(/trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl is 500ms; Envoy truncates it to whole seconds/);
  });
});
