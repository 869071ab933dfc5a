import { Duration, ApiObject } from 'cdk8s';
import { FaultInjection, ServiceReference, ServiceResilience, StringMatch } from '../../src';
import { chart, only, synth, partialChart } from '../support/synth';

const host = 'ratings.default.svc.cluster.local';
const service = ServiceReference.fromHost(host);

describe('ServiceResilience', () => {
  test('timeouts, retries and circuit breaking', () => {
    const c = chart();
    new ServiceResilience(c, 'r', { service, timeout: Duration.seconds(3), retries: { attempts: 3, perTryTimeout: Duration.seconds(1), retryOn: ['5xx'] }, circuitBreaker: { maxConnections: 1, maxPendingRequests: 1, consecutive5xxErrors: 1 } });
    const out = synth(c);
    expect(only(out, 'VirtualService').spec.http[0]).toEqual({ name: 'default', route: [{ destination: { host } }], timeout: '3s', retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx' } });
    expect(only(out, 'DestinationRule').spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } },
      outlierDetection: { consecutive5xxErrors: 1, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 100 },
    });
  });

  test('circuit breaking alone emits only the DestinationRule, reachable with ApiObject.of()', () => {
    const c = chart();
    const r = new ServiceResilience(c, 'r', { service, circuitBreaker: { consecutive5xxErrors: 2 } });
    const out = synth(c);
    expect(out.map(o => o.kind)).toEqual(['DestinationRule']);
    expect(only(out, 'DestinationRule').spec.trafficPolicy.connectionPool).toBeUndefined();
    expect(ApiObject.of(r)).toBe(r.destinationRule);
    expect(r.virtualService).toBeUndefined();
  });

  test('rejects a resilience that does nothing', () => {
    expect(() => new ServiceResilience(chart(), 'r', { service })).toThrow(/ServiceResilience 'test\/r': sets none of timeout, retries or circuitBreaker/);
  });
});

describe('FaultInjection', () => {
  test('delay for one user on a subset, default route for everyone else', () => {
    const c = partialChart();
    new FaultInjection(c, 'f', { service, subset: 'v1', headers: { 'end-user': StringMatch.exact('jason') }, delay: Duration.seconds(7) });
    const http = only(synth(c), 'VirtualService').spec.http;
    expect(http[0]).toEqual({
      name: 'f-default',
      match: [{ headers: { 'end-user': { exact: 'jason' } } }],
      route: [{ destination: { host, subset: 'v1' } }],
      fault: { delay: { fixedDelay: '7s', percentage: { value: 100 } } },
    });
    expect(http[1]).toEqual({ name: 'default', route: [{ destination: { host, subset: 'v1' } }] });
  });

  test('abort for a percentage of all requests', () => {
    const c = chart();
    new FaultInjection(c, 'f', { service, abortStatus: 500, percentage: 10 });
    expect(only(synth(c), 'VirtualService').spec.http[0].fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 10 } } });
  });

  test('rejects a fault without delay or abort', () => {
    expect(() => new FaultInjection(chart(), 'f', { service })).toThrow(/FaultInjection 'test\/f': needs delay or abortStatus/);
  });

  test('rejects an invalid abort status', () => {
    expect(() => new FaultInjection(chart(), 'f', { service, abortStatus: 42 })).toThrow(/abort.httpStatus must be an HTTP status between 200 and 599, got 42/);
  });
});
