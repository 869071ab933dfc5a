import { Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CanaryRelease, CanaryVersion, ControlPlaneDelivery, DestinationRule, IstioControlPlane, IstioVersion, MeshAnalyzer, ServiceReference,
  StringMatch, VirtualService,
} from '../../src';
import { withoutSchemaCheck } from '../support/schema-setup';
import { only, synth } from '../support/synth';

const host = 'reviews.shop.svc.cluster.local';
// The suite's own schema check would refuse a 1.31 field in a 1.30 app before the library's check is reached.
const synthUnchecked = (c: Chart) => withoutSchemaCheck(() => Testing.synth(c));
const chart = () => new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
const zoneAware = (c: Chart) => new DestinationRule(c, 'reviews', {
  host,
  trafficPolicy: {
    loadBalancer: { zoneAwareLbSetting: { enabled: true, failover: [{ from: 'us-east1', to: 'us-west1' }] } },
    outlierDetection: { consecutive5xxErrors: 5 },
  },
});
const redirect = (c: Chart) => new VirtualService(c, 'moved', {
  hosts: [host],
  http: [{ match: [{ uri: StringMatch.prefix('/v1/') }], redirect: { prefixRewrite: '/v2/' } }],
});

describe('IstioVersion: the Istio release an app targets', () => {
  test('is Istio 1.31.4 unless the app says otherwise', () => {
    const c = chart();
    expect(IstioVersion.of(c)).toBe('1.31.4');
    new IstioControlPlane(c, 'istio');
    expect(IstioVersion.of(c)).toBe('1.31.4');
    expect(IstioVersion.supportedMinors).toEqual(['1.30', '1.31']);
  });

  test('is the oldest istiod that reads the config: both revisions during a canary upgrade, and declared ones', () => {
    const c = chart();
    new IstioControlPlane(c, 'new', { version: '1.31.4', revision: '1-31-4' });
    new IstioControlPlane(c, 'old', { version: '1.30.3', revision: '1-30-3', manageBase: false });
    expect(IstioVersion.of(c)).toBe('1.30.3');
    const elsewhere = chart();
    IstioVersion.declare(elsewhere.node.root, '1.30.1');
    expect(IstioVersion.of(elsewhere)).toBe('1.30.1');
  });

  test('refuses releases whose CRDs and fields it does not carry, naming the fix', () => {
    expect(() => new IstioControlPlane(chart(), 'istio', { version: '1.29.2' }))
      .toThrow(/IstioControlPlane 'mesh\/istio': version '1.29.2' is not a release this library renders for; it carries the CRDs and fields of Istio 1.30 and 1.31/);
    expect(() => IstioVersion.declare(chart(), '1.31')).toThrow(/IstioVersion.declare\(\): version must be an Istio release like '1.31.4', got '1.31'/);
    expect(() => IstioVersion.declare(chart(), '1.32.0')).toThrow(/version '1.32.0' is not a release this library renders for/);
  });
});

describe('fields newer than the targeted release', () => {
  test('DestinationRule zoneAwareLbSetting renders for 1.31 and Istio\'s validation accepts it', () => {
    const c = chart();
    zoneAware(c);
    expect(only(synth(c), 'DestinationRule').spec.trafficPolicy.loadBalancer.zoneAwareLbSetting)
      .toEqual({ enabled: true, failover: [{ from: 'us-east1', to: 'us-west1' }] });
  });

  test('zoneAwareLbSetting read by an istiod 1.30 is a synth error naming the prop, the control plane and the fix', () => {
    const c = chart();
    new IstioControlPlane(c, 'istio', { version: '1.30.3' });
    zoneAware(c);
    expect(() => synthUnchecked(c)).toThrow(
      /DestinationRule 'mesh\/reviews': trafficPolicy.loadBalancer.zoneAwareLbSetting needs Istio 1.31 or later, but IstioControlPlane 'mesh\/istio' runs Istio 1.30.3, which ignores it. Upgrade that control plane to 1.31.4, or remove trafficPolicy.loadBalancer.zoneAwareLbSetting/);
  });

  test('the check runs at synth: a declaration made after the rule counts', () => {
    const c = chart();
    zoneAware(c);
    IstioVersion.declare(c, '1.30.3');
    expect(() => synthUnchecked(c)).toThrow(/IstioVersion.declare\('1.30.3'\) runs Istio 1.30.3, which ignores it/);
  });

  test('localityLbSetting and zoneAwareLbSetting together are refused, as Istio does', () => {
    expect(() => new DestinationRule(chart(), 'dr', {
      host, trafficPolicy: { loadBalancer: { localityLbSetting: { enabled: true }, zoneAwareLbSetting: { enabled: true } } },
    })).toThrow(/trafficPolicy.loadBalancer sets both localityLbSetting and zoneAwareLbSetting; Istio allows only one/);
  });

  test('Istio\'s validation judges what the typed model leaves to it (a zone in failoverPriority)', () => {
    const c = chart();
    new DestinationRule(c, 'dr', {
      host,
      trafficPolicy: { loadBalancer: { zoneAwareLbSetting: { failoverPriority: ['topology.kubernetes.io/zone'] } }, outlierDetection: { consecutive5xxErrors: 5 } },
    });
    expect(() => Testing.synth(c)).toThrow(/IST0106 DestinationRule .*'failover_priority' for zone aware lb must not use topology label 'topology.kubernetes.io\/zone'/);
  });

  test('VirtualService redirect prefixRewrite: renders for 1.31, refused for 1.30, and only after prefix matches', () => {
    const c = chart();
    redirect(c);
    expect(only(synth(c), 'VirtualService').spec.http[0].redirect).toEqual({ prefixRewrite: '/v2/' });

    const old = chart();
    IstioVersion.declare(old, '1.30.3');
    redirect(old);
    expect(() => synthUnchecked(old)).toThrow(/VirtualService 'mesh\/moved': http\[0\].redirect.prefixRewrite needs Istio 1.31 or later/);

    expect(() => new VirtualService(chart(), 'vs', { hosts: [host], http: [{ match: [{ uri: StringMatch.exact('/v1') }], redirect: { prefixRewrite: '/v2' } }] }))
      .toThrow(/http\[0\].redirect.prefixRewrite replaces a matched prefix, but match\[0\].uri is not a prefix match/);
    expect(() => new VirtualService(chart(), 'vs', { hosts: [host], http: [{ redirect: { prefixRewrite: '/v2', uri: '/v3' } }] }))
      .toThrow(/http\[0\].redirect sets both uri and prefixRewrite/);
  });

  test('meshConfig.defaultTrafficPolicy reaches the mesh config, and needs a 1.31 control plane', () => {
    const c = chart();
    new IstioControlPlane(c, 'istio', {
      delivery: ControlPlaneDelivery.istioOperator(),
      meshConfig: {
        defaultTrafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 100 } }, outlierDetection: { consecutive5xxErrors: 7 } },
      },
    });
    expect(only(synth(c), 'IstioOperator').spec.values.meshConfig.defaultTrafficPolicy).toEqual({
      connectionPool: { http: { http1MaxPendingRequests: 100 } },
      outlierDetection: { consecutive5xxErrors: 7 },
    });
    const baseline = { defaultTrafficPolicy: { outlierDetection: { consecutive5xxErrors: 7 } } };
    expect(() => new IstioControlPlane(chart(), 'istio', { version: '1.30.3', meshConfig: baseline }))
      .toThrow(/IstioControlPlane 'mesh\/istio': meshConfig.defaultTrafficPolicy needs Istio 1.31 or later, and this control plane runs 1.30.3/);
  });
});

describe('CRD schemas of the targeted release', () => {
  test('an escape-hatch field 1.30.3\'s CRDs lack is CDK8SISTIO004 for a 1.30 app, and passes for 1.31', () => {
    const patched = (c: Chart) => new VirtualService(c, 'vs', { hosts: [host], http: [{ route: [{ destination: { host } }] }] })
      .addJsonPatch(JsonPatch.add('/spec/http/0/redirect', { prefixRewrite: '/v2' }), JsonPatch.remove('/spec/http/0/route'));
    const old = chart();
    IstioVersion.declare(old, '1.30.3');
    patched(old);
    const findings = withoutSchemaCheck(() => MeshAnalyzer.of(old).analyze());
    expect(findings.map(f => `${f.code} ${f.message}`).join('\n'))
      .toMatch(/CDK8SISTIO004 .*\(Istio 1.30.3 CRD schema\): unknown fields \[spec.http\[0\].redirect.prefixRewrite\]/);
    const current = chart();
    patched(current);
    expect(MeshAnalyzer.of(current).analyze().map(f => f.code)).not.toContain('CDK8SISTIO004');
  });
});

describe('what the review of the version targeting found', () => {
  test('an intent\'s 1.31 prop is one error, in the intent\'s terms, however many objects carry it', () => {
    const c = chart();
    IstioVersion.declare(c, '1.30.3');
    const workload = (version: string) => new kplus.Deployment(c, `reviews-${version}`, {
      podMetadata: { labels: { app: 'reviews', version } }, containers: [{ image: 'reviews', portNumber: 9080 }],
    });
    const service = new kplus.Service(c, 'svc', {
      metadata: { name: 'reviews' }, selector: kplus.Pods.select(c, 'pods', { labels: { app: 'reviews' } }), ports: [{ port: 9080, name: 'http' }],
    });
    new CanaryRelease(c, 'canary', {
      service: ServiceReference.fromService(service),
      stable: CanaryVersion.fromWorkload(workload('v1')),
      canary: CanaryVersion.fromWorkload(workload('v2')),
      canaryWeight: 10,
      trafficPolicy: { loadBalancer: { zoneAwareLbSetting: { enabled: true } } },
    });
    let message = '';
    try {
      synthUnchecked(c);
    } catch (e: any) {
      message = e.message;
    }
    expect(message.match(/needs Istio 1.31 or later/g)).toHaveLength(1);
    expect(message).toMatch(/CanaryRelease 'mesh\/canary': trafficPolicy.loadBalancer.zoneAwareLbSetting needs Istio 1.31 or later, but IstioVersion.declare\('1.30.3'\) runs Istio 1.30.3, which ignores it. Upgrade that istiod to 1.31.4/);
  });

  test('a control plane\'s release tag must be of its version\'s minor release (the tag is what runs)', () => {
    expect(() => new IstioControlPlane(chart(), 'istio', { version: '1.31.4', tag: '1.30.3' }))
      .toThrow(/IstioControlPlane 'mesh\/istio': tag '1.30.3' runs Istio 1.30, but version is '1.31.4'/);
    expect(new IstioControlPlane(chart(), 'istio', { version: '1.31.4', tag: '1.31.2-distroless' }).tag).toBe('1.31.2-distroless');
    expect(new IstioControlPlane(chart(), 'istio', { tag: 'latest' }).tag).toBe('latest');
  });

  test('an empty prefixRewrite, which Istio ignores, is refused with the fix', () => {
    expect(() => new VirtualService(chart(), 'vs', { hosts: [host], http: [{ redirect: { prefixRewrite: '' } }] }))
      .toThrow(/http\[0\].redirect.prefixRewrite is '', which Istio ignores; to strip the matched prefix, use '\/'/);
  });
});
