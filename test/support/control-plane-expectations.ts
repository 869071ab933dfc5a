import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { ofKind } from './synth';
import { ExtensionProvider, OutboundTrafficMode } from '../../src';

/** A production control plane's props, shared by the tests that render it with istioctl and with Helm. */
export const production = {
  revision: '1-31-4',
  istiod: { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi' }, blockedJwksCidrs: ['10.0.0.0/8', '169.254.169.254/32'] },
  meshConfig: {
    outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY,
    accessLogFile: '/dev/stdout',
    tracingSamplingPercent: 10,
    extensionProviders: [ExtensionProvider.extAuthzHttp('ext-authz', { service: 'authz.auth.svc.cluster.local', port: 8000 })],
    // Istio 1.31's mesh-wide baseline (the renderers must carry it into the mesh config).
    defaultTrafficPolicy: { outlierDetection: { consecutive5xxErrors: 7, interval: Duration.seconds(10) } },
  },
};

/** What Istio's renderer (istioctl or Helm) must make of `production` with a RevisionTag 'prod-stable'. */
export function expectProductionIstiod(out: any[]): void {
  const istiod = ofKind(out, 'Deployment').find(d => d.metadata.name === 'istiod-1-31-4');
  expect(istiod.spec.replicas).toBe(2);
  const container = istiod.spec.template.spec.containers[0];
  expect(container.image).toBe('registry.istio.io/release/pilot:1.31.4');
  expect(container.resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
  expect(container.env).toContainEqual({ name: 'PILOT_TRACE_SAMPLING', value: '10' });
  expect(container.env).toContainEqual({ name: 'BLOCKED_CIDRS_IN_JWKS_URIS', value: '10.0.0.0/8,169.254.169.254/32' });
  expect(ofKind(out, 'HorizontalPodAutoscaler')).toEqual([]);
  const mesh = ofKind(out, 'ConfigMap').find(m => m.metadata.name === 'istio-1-31-4').data.mesh;
  expect(mesh).toMatch(/accessLogFile: \/dev\/stdout/);
  expect(mesh).toMatch(/mode: REGISTRY_ONLY/);
  expect(mesh).toMatch(/name: ext-authz/);
  expect(parse(mesh).defaultTrafficPolicy).toEqual({ outlierDetection: { consecutive5xxErrors: 7, interval: '10s' } });
  expect(ofKind(out, 'MutatingWebhookConfiguration').map(m => m.metadata.name).sort()).toEqual(['istio-revision-tag-prod-stable', 'istio-sidecar-injector-1-31-4']);
  // Gateways are native constructs: no gateway Deployment from the profile or the charts.
  expect(ofKind(out, 'Deployment').map(d => d.metadata.name)).toEqual(['istiod-1-31-4']);
}

/** What an ambient install with revision 1-31-4 must render: the DaemonSets, an ambient istiod, ztunnel pointed at it. */
export function expectAmbientInstall(out: any[]): void {
  expect(ofKind(out, 'DaemonSet').map(d => d.metadata.name).sort()).toEqual(['istio-cni-node', 'ztunnel']);
  const istiod = ofKind(out, 'Deployment').find(d => d.metadata.name === 'istiod-1-31-4');
  expect(istiod.spec.template.spec.containers[0].env).toContainEqual({ name: 'PILOT_ENABLE_AMBIENT', value: 'true' });
  // ztunnel reaches the revision's istiod, the one Service of it that exists.
  const ztunnel = ofKind(out, 'DaemonSet').find(d => d.metadata.name === 'ztunnel').spec.template.spec.containers[0];
  expect(ztunnel.env).toContainEqual({ name: 'XDS_ADDRESS', value: 'istiod-1-31-4.istio-system.svc:15012' });
}
