import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AccessLogEncoding, ControlPlaneDelivery, EgressGateway, ExtensionProvider, IngressGateway, IstioControlPlane, IstioProfile, OutboundTrafficMode,
  RevisionTag,
} from '../../src';
import { production } from '../support/control-plane-expectations';
import { gitOpsSchemaErrors } from '../support/gitops-schemas';
import { ofKind, synth } from '../support/synth';

function cpChart(): Chart {
  return new Chart(Testing.app(), 'cp');
}


describe('IstioControlPlane — Argo CD delivery (default)', () => {
  test('one Application per chart, ordered by sync waves, with the webhook drift ignored', () => {
    const c = cpChart();
    new IstioControlPlane(c, 'istio', production);
    new RevisionTag(c, 'stable', { tag: 'prod-stable', revision: '1-31-4' });
    const apps = ofKind(synth(c), 'Application');
    expect(apps.map(a => [a.metadata.name, a.metadata.annotations['argocd.argoproj.io/sync-wave'], a.spec.source.chart])).toEqual([
      ['istio-base', '-30', 'base'],
      ['istiod-1-31-4', '-20', 'istiod'],
    ]);
    const istiod = apps[1];
    expect(istiod.spec.source).toMatchObject({ repoURL: 'https://istio-release.storage.googleapis.com/charts', targetRevision: '1.31.4' });
    expect(istiod.spec.source.helm.valuesObject).toEqual({
      revision: '1-31-4',
      revisionTags: ['prod-stable'],
      global: { hub: 'registry.istio.io/release', tag: '1.31.4', istioNamespace: 'istio-system' },
      pilot: {
        replicaCount: 2,
        autoscaleEnabled: false,
        resources: { requests: { cpu: '250m', memory: '512Mi' } },
        traceSampling: 10,
        env: { BLOCKED_CIDRS_IN_JWKS_URIS: '10.0.0.0/8,169.254.169.254/32' },
      },
      meshConfig: {
        outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
        accessLogFile: '/dev/stdout',
        extensionProviders: [{ name: 'ext-authz', envoyExtAuthzHttp: { service: 'authz.auth.svc.cluster.local', port: 8000 } }],
        defaultTrafficPolicy: { outlierDetection: { consecutive5xxErrors: 7, interval: '10s' } },
      },
    });
    expect(istiod.spec.ignoreDifferences.map((d: any) => d.kind)).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    expect(istiod.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(apps[0].spec.source.helm.valuesObject).toEqual({ defaultRevision: '1-31-4', global: { istioNamespace: 'istio-system' } });
    expect(gitOpsSchemaErrors(apps)).toEqual([]);
  });

  test('ambient adds istio-cni and ztunnel after istiod, all with the ambient profile', () => {
    const c = cpChart();
    new IstioControlPlane(c, 'istio', { profile: IstioProfile.AMBIENT });
    const apps = ofKind(synth(c), 'Application');
    expect(apps.map(a => [a.metadata.name, a.spec.source.helm.valuesObject.profile])).toEqual([
      ['istio-base', undefined], ['istiod', 'ambient'], ['istio-cni', 'ambient'], ['ztunnel', 'ambient'],
    ]);
    expect(gitOpsSchemaErrors(apps)).toEqual([]);
  });
});

describe('IstioControlPlane — Flux delivery', () => {
  test('a HelmRepository and HelmReleases chained by dependsOn, with the same values as Argo CD', () => {
    const flux = cpChart();
    new IstioControlPlane(flux, 'istio', { ...production, delivery: ControlPlaneDelivery.flux({ interval: Duration.minutes(5) }) });
    const argo = cpChart();
    new IstioControlPlane(argo, 'istio', production);
    const out = synth(flux);
    const releases = ofKind(out, 'HelmRelease');
    expect(ofKind(out, 'HelmRepository')[0].spec).toEqual({ url: 'https://istio-release.storage.googleapis.com/charts', interval: '5m' });
    expect(releases.map(r => [r.metadata.name, r.spec.dependsOn])).toEqual([['istio-base', undefined], ['istiod-1-31-4', [{ name: 'istio-base' }]]]);
    expect(releases[1].spec.chart.spec).toEqual({ chart: 'istiod', version: '1.31.4', sourceRef: { kind: 'HelmRepository', name: 'istio' } });
    expect(releases[1].spec.values).toEqual(ofKind(synth(argo), 'Application')[1].spec.source.helm.valuesObject);
    expect(gitOpsSchemaErrors(out)).toEqual([]);
  });

  test('the schema check itself rejects a broken HelmRelease', () => {
    expect(gitOpsSchemaErrors([{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'x' }, spec: { interval: 5 } }]))
      .toEqual(['HelmRelease x: data/spec/interval must be string']);
  });
});

describe('IstioControlPlane — IstioOperator delivery', () => {
  test('the IstioOperator carries profile, revision and the same values as the Helm releases', () => {
    const c = cpChart();
    const cp = new IstioControlPlane(c, 'istio', { ...production, delivery: ControlPlaneDelivery.istioOperator() });
    const [iop] = ofKind(synth(c), 'IstioOperator');
    expect(iop.metadata).toEqual({ name: 'control-plane-1-31-4', namespace: 'istio-system' });
    expect(iop.spec).toMatchObject({ profile: 'default', revision: '1-31-4', hub: 'registry.istio.io/release', tag: '1.31.4' });
    expect(iop.spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
    const { profile, ...helmValues } = cp._istiodValues();
    expect(profile).toBeUndefined();
    expect(iop.spec.values).toEqual(helmValues);
  });
});

describe('IstioControlPlane — enrolment', () => {
  test('a namespace gets exactly one label: istio-injection, istio.io/rev (revision or tag), or ambient', () => {
    const c = cpChart();
    const plain = new IstioControlPlane(c, 'plain', { manageBase: false, namespace: 'istio-a' });
    const revisioned = new IstioControlPlane(c, 'rev', { revision: '1-31-4' });
    const tag = new RevisionTag(c, 'tag', { tag: 'prod-stable', revision: '1-31-4' });
    const ambient = new IstioControlPlane(c, 'ambient', { profile: IstioProfile.AMBIENT, manageBase: false, namespace: 'istio-b', delivery: ControlPlaneDelivery.flux() });
    const labels = (ns: kplus.Namespace) => ApiObject.of(ns).toJson().metadata.labels;
    expect(labels(plain.enrolNamespaceNamed('a'))).toEqual({ 'istio-injection': 'enabled' });
    expect(labels(revisioned.enrolNamespaceNamed('b'))).toEqual({ 'istio.io/rev': '1-31-4' });
    expect(labels(revisioned.enrolNamespaceNamed('c', { revisionTag: tag }))).toEqual({ 'istio.io/rev': 'prod-stable' });
    expect(labels(ambient.enrolNamespaceNamed('d'))).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  });

  test('never two injection labels on one namespace', () => {
    const c = cpChart();
    const cp = new IstioControlPlane(c, 'istio', { revision: '1-31-4' });
    const ns = new kplus.Namespace(c, 'shop', { metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    expect(() => cp.enrolNamespace(ns)).toThrow(/IstioControlPlane 'cp\/istio': namespace 'shop' already has label istio-injection=enabled; adding istio.io\/rev=1-31-4 would give it two injection labels/);
  });

  test('a workload gets the pod label and proxy annotations', () => {
    const c = cpChart();
    const cp = new IstioControlPlane(c, 'istio');
    const d = new kplus.Deployment(c, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    cp.enrolWorkload(d, { proxy: { resources: { cpuRequest: '50m', memoryLimit: '256Mi' }, holdApplicationUntilProxyStarts: true, excludeInboundPorts: [9090] } });
    const meta = ApiObject.of(d).toJson().spec.template.metadata;
    expect(meta.labels['sidecar.istio.io/inject']).toBe('true');
    expect(meta.annotations).toEqual({
      'sidecar.istio.io/proxyCPU': '50m',
      'sidecar.istio.io/proxyMemoryLimit': '256Mi',
      'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}',
      'traffic.sidecar.istio.io/excludeInboundPorts': '9090',
    });
  });
});

describe('IstioControlPlane — bad input', () => {
  test('an access-log encoding without a file writes no log', () => {
    expect(() => new IstioControlPlane(cpChart(), 'istio', { meshConfig: { accessLogEncoding: AccessLogEncoding.JSON } }))
      .toThrow(/meshConfig.accessLogEncoding is set but accessLogFile is not, so no access log is written/);
    expect(() => new IstioControlPlane(cpChart(), 'istio', { meshConfig: { accessLogEncoding: AccessLogEncoding.JSON, accessLogFile: '/dev/stdout' } })).not.toThrow();
  });

  test('unknown profile', () => {
    expect(() => new IstioControlPlane(cpChart(), 'istio', { profile: 'production' as IstioProfile }))
      .toThrow(/IstioControlPlane 'cp\/istio': props.profile must be one of IstioProfile.DEFAULT \('default'\), IstioProfile.MINIMAL \('minimal'\), IstioProfile.DEMO \('demo'\), IstioProfile.AMBIENT \('ambient'\), got the string 'production'/);
  });

  test('invalid revision name', () => {
    expect(() => new IstioControlPlane(cpChart(), 'istio', { revision: '1.30.3' })).toThrow(/revision must be a DNS-1123 label .* got '1.30.3'. Rename it, e.g. '1-30-3'/);
    expect(() => new IstioControlPlane(cpChart(), 'istio', { revision: 'default' })).toThrow(/revision 'default' is reserved/);
  });

  test('a tag pointing to an absent revision', () => {
    const c = cpChart();
    new IstioControlPlane(c, 'istio', { revision: '1-31-4' });
    new RevisionTag(c, 'tag', { tag: 'prod-stable', revision: '1-31-0' });
    expect(() => synth(c)).toThrow(/RevisionTag 'cp\/tag': tag 'prod-stable' points to revision '1-31-0', which no IstioControlPlane in this app installs \(revisions: '1-31-4'\)/);
  });

  test('ambient with sidecar-only settings', () => {
    expect(() => new IstioControlPlane(cpChart(), 'istio', { profile: IstioProfile.AMBIENT, proxy: { holdApplicationUntilProxyStarts: true } }))
      .toThrow(/proxy sets sidecar settings, but profile AMBIENT runs no sidecars/);
    const c = cpChart();
    const cp = new IstioControlPlane(c, 'istio', { profile: IstioProfile.AMBIENT });
    const d = new kplus.Deployment(c, 'api', { containers: [{ image: 'api' }] });
    expect(() => cp.enrolWorkload(d, { proxy: { excludeInboundPorts: [9090] } })).toThrow(/only apply to sidecars, but this control plane is AMBIENT/);
  });

  test('a gateway in a namespace without injection', () => {
    const c = cpChart();
    new IstioControlPlane(c, 'istio', { revision: '1-31-4' });
    new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    expect(() => synth(c)).toThrow(/IngressGateway 'cp\/gw': the gateway has no revision and no control plane in this app serves the default revision, so namespace 'istio-ingress' never injects it. Set revision \(e.g. '1-31-4'\)/);

    const c2 = cpChart();
    new IstioControlPlane(c2, 'istio');
    new kplus.Namespace(c2, 'ns', { metadata: { name: 'istio-egress', labels: { 'istio-injection': 'disabled' } } });
    new EgressGateway(c2, 'gw', { namespace: 'istio-egress' });
    expect(() => synth(c2)).toThrow(/EgressGateway 'cp\/gw': namespace 'istio-egress' is labelled istio-injection=disabled/);

    const c3 = cpChart();
    new IstioControlPlane(c3, 'istio', { revision: '1-31-4' });
    new IngressGateway(c3, 'gw', { revision: 'canary' });
    expect(() => synth(c3)).toThrow(/revision 'canary' is not installed by any IstioControlPlane or RevisionTag in this app \(known: '1-31-4'\)/);
  });

  test('replicas < 1, and replicas with autoscaling', () => {
    expect(() => new IstioControlPlane(cpChart(), 'istio', { istiod: { replicas: 0 } })).toThrow(/istiod.replicas must be a whole number of at least 1, got 0/);
    expect(() => new IstioControlPlane(cpChart(), 'istio', { istiod: { replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 4 } } }))
      .toThrow(/istiod.replicas and istiod.autoscaling exclude each other/);
  });

  test('two control planes installing base', () => {
    const c = cpChart();
    new IstioControlPlane(c, 'old', { revision: '1-30-3', version: '1.30.3' });
    new IstioControlPlane(c, 'new', { revision: '1-31-4' });
    expect(() => synth(c)).toThrow(/IstioControlPlane 'cp\/new': chart 'base' \(release 'istio-base'\) is also installed by 'cp\/old'. Set manageBase: false on one of them/);
  });

  test('bad resources quantity and unknown default tracing provider', () => {
    expect(() => new IstioControlPlane(cpChart(), 'istio', { istiod: { resources: { cpuRequest: 'half' } } })).toThrow(/istiod.resources.cpuRequest 'half' is not a Kubernetes quantity/);
    expect(() => new IstioControlPlane(cpChart(), 'istio', { meshConfig: { defaultTracingProviders: ['otel'] } }))
      .toThrow(/meshConfig.defaultTracingProviders names 'otel', which is not in meshConfig.extensionProviders/);
  });
});

describe('IstioControlPlane — escape hatches', () => {
  test('every rendered object is reachable; ApiObject.of() is the object that installs istiod', () => {
    for (const [delivery, primary] of [
      [ControlPlaneDelivery.argoCd(), 'Application-istiod'],
      [ControlPlaneDelivery.flux(), 'HelmRelease-istiod'],
      [ControlPlaneDelivery.istioOperator(), 'IstioOperator'],
    ] as const) {
      const cp = new IstioControlPlane(cpChart(), 'cp', { delivery });
      expect(ApiObject.of(cp).node.id).toBe(primary);
      expect(cp.apiObjects.length).toBeGreaterThan(0);
      expect(cp.apiObjects.every(o => o instanceof ApiObject)).toBe(true);
    }
  });
});
