import { App, Chart, Testing } from 'cdk8s';
import { ControlPlaneDelivery, GatewayApiChannel, IstioControlPlane, TrafficApi } from '../../src';
import { gitOpsSchemaErrors } from '../support/gitops-schemas';
import { ofKind } from '../support/synth';

function plane(delivery: ControlPlaneDelivery, channel?: GatewayApiChannel): { app: App; c: Chart } {
  const app = Testing.app();
  if (channel) TrafficApi.use(app, TrafficApi.gatewayApi({ channel }));
  const c = new Chart(app, 'cp');
  new IstioControlPlane(c, 'istio', { delivery, installGatewayApiCrds: true });
  return { app, c };
}

describe('IstioControlPlane installGatewayApiCrds', () => {
  test('Argo CD: an Application of the project\'s CRDs for the targeted version and channel, before Istio\'s base chart', () => {
    const { c } = plane(ControlPlaneDelivery.argoCd(), GatewayApiChannel.EXPERIMENTAL);
    const apps = ofKind(Testing.synth(c), 'Application');
    expect(apps.map(a => [a.metadata.name, a.metadata.annotations['argocd.argoproj.io/sync-wave']])).toEqual([
      ['gateway-api-crds', '-40'], ['istio-base', '-30'], ['istiod', '-20'],
    ]);
    expect(apps[0].spec.source).toEqual({ repoURL: 'https://github.com/kubernetes-sigs/gateway-api', path: 'config/crd/experimental', targetRevision: 'v1.5.1' });
    expect(apps[0].spec.syncPolicy).toEqual({ automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'] });
    expect(gitOpsSchemaErrors(apps)).toEqual([]);
  });

  test('Flux: a GitRepository at the release tag and a Kustomization of the channel\'s CRDs', () => {
    const { c } = plane(ControlPlaneDelivery.flux());
    const out = Testing.synth(c);
    const repo = out.find(o => o.kind === 'GitRepository');
    const kustomization = out.find(o => o.kind === 'Kustomization');
    expect(repo.spec).toMatchObject({ url: 'https://github.com/kubernetes-sigs/gateway-api', ref: { tag: 'v1.5.1' } });
    expect(kustomization.spec).toMatchObject({ path: './config/crd/standard', sourceRef: { kind: 'GitRepository', name: 'gateway-api' }, prune: false });
    expect(gitOpsSchemaErrors([repo, kustomization])).toEqual([]);
  });

  test('IstioOperator and rendered: the CRDs themselves, without status', () => {
    const { c } = plane(ControlPlaneDelivery.istioOperator());
    const crds = ofKind(Testing.synth(c), 'CustomResourceDefinition');
    expect(crds.map(d => d.spec.names.kind).sort()).toEqual(['BackendTLSPolicy', 'GRPCRoute', 'Gateway', 'GatewayClass', 'HTTPRoute', 'ListenerSet', 'ReferenceGrant', 'TLSRoute']);
    expect(crds.every(d => d.status === undefined && d.metadata.annotations['gateway.networking.k8s.io/channel'] === 'standard')).toBe(true);
  });

  test('the app targeting other CRDs after the control plane was created is an error', () => {
    const app = Testing.app();
    const c = new Chart(app, 'cp');
    new IstioControlPlane(c, 'istio', { installGatewayApiCrds: true });
    TrafficApi.use(app, TrafficApi.gatewayApi({ channel: GatewayApiChannel.EXPERIMENTAL }));
    expect(() => app.synth()).toThrow(/installs the CRDs of Gateway API 1.5.1 \(standard channel\), but the app targets Gateway API 1.5.1 \(experimental channel\)/);
  });
});
