import { Duration, ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryPhase, CanaryRelease, CanaryVersion, ServiceReference, StringMatch } from '../../src';
import { chart, only, synth, partialChart } from '../support/synth';
import { versioned } from '../support/workloads';

const host = 'reviews.default.svc.cluster.local';

function setup(props: any = {}, partial = false) {
  const c = partial ? partialChart() : chart();
  const { service, deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
  const canary = new CanaryRelease(c, 'reviews', { service: ServiceReference.fromService(service), stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2), ...props });
  return { c, canary, objects: () => synth(c) };
}

describe('CanaryRelease', () => {
  test('derives FQDN host and version subsets from cdk8s-plus workloads', () => {
    const { canary, objects } = setup({ canaryWeight: 10 });
    const out = objects();
    const dr = only(out, 'DestinationRule');
    const vs = only(out, 'VirtualService');
    expect(canary.host).toBe(host);
    expect(dr.spec.host).toBe(host);
    expect(dr.spec.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
    expect(vs.spec.http).toEqual([{ name: 'primary', route: [{ destination: { host, subset: 'v1' }, weight: 90 }, { destination: { host, subset: 'v2' }, weight: 10 }] }]);
    expect(out.map(o => o.kind).indexOf('DestinationRule')).toBeLessThan(out.map(o => o.kind).indexOf('VirtualService'));
    expect(vs).toMatchSnapshot();
  });

  test('weights always add to 100', () => {
    for (const w of [0, 1, 37, 100]) {
      const vs = only(setup({ canaryWeight: w }).objects(), 'VirtualService');
      const sum = vs.spec.http.at(-1).route.reduce((a: number, r: any) => a + r.weight, 0);
      expect(sum).toBe(100);
    }
  });

  test('A/B header route goes first to the canary', () => {
    const vs = only(setup({ canaryHeaders: { 'end-user': StringMatch.exact('jason') } }).objects(), 'VirtualService');
    expect(vs.spec.http[0]).toEqual({ name: 'canary-match', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host, subset: 'v2' } }] });
  });

  test('staged plan selects the current step', () => {
    const { canary } = setup({ steps: [5, 25, 50, 100], currentStep: 2 });
    expect(canary.canaryWeight).toBe(50);
  });

  test('promote and roll back are one-line changes', () => {
    const promoted = only(setup({ canaryWeight: 20, phase: CanaryPhase.PROMOTED }).objects(), 'VirtualService');
    expect(promoted.spec.http).toHaveLength(1);
    expect(promoted.spec.http[0].route.map((r: any) => r.weight)).toEqual([0, 100]);
    const back = only(setup({ canaryWeight: 20, canaryHeaders: { a: StringMatch.exact('b') }, phase: CanaryPhase.ROLLED_BACK }).objects(), 'VirtualService');
    expect(back.spec.http).toHaveLength(1);
    expect(back.spec.http[0].route.map((r: any) => r.weight)).toEqual([100, 0]);
  });

  test('sticky cookie: cookie route first, set-cookie on the weighted canary destination', () => {
    const vs = only(setup({ canaryWeight: 10, stickyCookie: 'canary', stickyDuration: Duration.hours(1) }).objects(), 'VirtualService');
    expect(vs.spec.http[0].name).toBe('canary-sticky');
    expect(vs.spec.http[0].match[0].headers.cookie.regex).toContain('canary=true');
    expect(vs.spec.http[1].route[1].headers.response.add['set-cookie']).toBe('canary=true; Max-Age=3600; Path=/');
  });

  test('mirroring a percentage to the canary', () => {
    const vs = only(setup({ mirrorPercentage: 10 }).objects(), 'VirtualService');
    expect(vs.spec.http[0].mirror).toEqual({ host, subset: 'v2' });
    expect(vs.spec.http[0].mirrorPercentage).toEqual({ value: 10 });
  });

  test('explicit labels and host instead of workloads', () => {
    const c = chart();
    new CanaryRelease(c, 'r', {
      service: ServiceReference.fromHost('ratings.prod.svc.cluster.local', 9080),
      stable: CanaryVersion.fromLabels({ track: 'stable' }),
      canary: CanaryVersion.fromLabels({ track: 'canary' }),
    });
    const dr = only(synth(c), 'DestinationRule');
    expect(dr.metadata.namespace).toBe('prod');
    expect(dr.spec.subsets).toEqual([{ name: 'stable', labels: { track: 'stable' } }, { name: 'canary', labels: { track: 'canary' } }]);
  });

  test('ApiObject.of() reaches the host\'s VirtualService; the DestinationRule is a typed property', () => {
    const { canary } = setup({ canaryWeight: 10 });
    expect(ApiObject.of(canary)).toBe(canary.virtualService);
    expect(canary.destinationRule.subsetNames).toEqual(['v1', 'v2']);
    ApiObject.of(canary).metadata.addLabel('team', 'reviews');
    expect(canary.virtualService.toJson().metadata.labels).toEqual({ team: 'reviews' });
  });

  test('the Service must select the pods of both versions (exposeViaService selects one)', () => {
    const c = chart();
    const { deployments: [v1, v2] } = versioned(c, 'ratings', ['v1', 'v2']);
    const onlyV1 = v1.exposeViaService({ name: 'ratings-v1-only', ports: [{ port: 9080, name: 'http' }] });
    new CanaryRelease(c, 'ratings', { service: ServiceReference.fromService(onlyV1), stable: CanaryVersion.fromWorkload(v1), canary: CanaryVersion.fromWorkload(v2) });
    expect(() => synth(c)).toThrow(/\[IntentChecks\] CanaryRelease 'test\/ratings': Service 'ratings-v1-only' selects .*but the canary version's pods \(test\/ratings-v2\) lack \{"cdk8s.io\/metadata.addr":"[^"]+"\}, so requests routed to the canary version find no endpoint \(503\)/);
    expect(() => synth(c)).not.toThrow(/stable version's pods/);
  });

  describe('rejects bad input', () => {
    test('weight above 100', () => {
      expect(() => setup({ canaryWeight: 120 })).toThrow(/CanaryRelease 'test\/reviews': canaryWeight must be a whole number between 0 and 100, got 120/);
    });
    test('negative weight', () => {
      expect(() => setup({ canaryWeight: -5 })).toThrow(/canaryWeight must be a whole number between 0 and 100, got -5/);
    });
    test('canary without a distinguishing label', () => {
      const c = chart();
      expect(() => new CanaryRelease(c, 'x', { service: ServiceReference.fromHost(host), stable: CanaryVersion.fromLabels({ app: 'reviews' }), canary: CanaryVersion.fromLabels({ app: 'reviews' }) }))
        .toThrow(/stable pods have labels .* no label both carry has different values, so no subset can tell them apart. Give each version a distinguishing label/);
    });
    test('step out of range', () => {
      expect(() => setup({ steps: [5, 50], currentStep: 2 })).toThrow(/currentStep must be between 0 and 1/);
    });
    test('steps not increasing', () => {
      expect(() => setup({ steps: [50, 25] })).toThrow(/steps must increase, but steps\[1\] = 25 follows 50/);
    });
    test('weight and steps together', () => {
      expect(() => setup({ steps: [5], canaryWeight: 5 })).toThrow(/set either canaryWeight or steps/);
    });
    test('currentStep without steps', () => {
      expect(() => setup({ currentStep: 1 })).toThrow(/currentStep needs steps/);
    });
    test('mirror percentage out of range', () => {
      expect(() => setup({ mirrorPercentage: 101 })).toThrow(/mirrorPercentage must be a percentage between 0 and 100, got 101/);
    });

    test('a sticky cookie shorter than a second (Max-Age would round to 0 and delete it)', () => {
      expect(() => setup({ stickyCookie: 'canary', stickyDuration: Duration.millis(400) }))
        .toThrow(/stickyDuration must be a whole number of seconds of at least 1, got 0.4s; a cookie's Max-Age counts whole seconds/);
      expect(() => setup({ stickyCookie: 'canary', stickyDuration: Duration.seconds(1) })).not.toThrow();
    });
    test('a version that is not a CanaryVersion (JavaScript callers)', () => {
      const c = chart();
      const { service, deployments: [v1] } = versioned(c, 'reviews', ['v1']);
      expect(() => new CanaryRelease(c, 'x', { service: ServiceReference.fromService(service), stable: CanaryVersion.fromWorkload(v1), canary: { deployment: v1 } as any }))
        .toThrow(/CanaryRelease 'test\/x'.*canary/);
    });
    test('two versions named alike', () => {
      const c = chart();
      const { service, deployments: [v1, v2] } = versioned(c, 'reviews', ['v1', 'v2']);
      expect(() => new CanaryRelease(c, 'x', { service: ServiceReference.fromService(service), stable: CanaryVersion.fromWorkload(v1, 'same'), canary: CanaryVersion.fromWorkload(v2, 'same') }))
        .toThrow(/stable and canary would both be subset 'same'/);
    });
  });
});
