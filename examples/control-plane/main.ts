import { App, Chart } from 'cdk8s';
import { ExtensionProvider, IstioControlPlane, OutboundTrafficMode } from '../../src';

/**
 * A production control plane delivered as Argo CD Applications (the default):
 * two istiod replicas, REGISTRY_ONLY egress, access logs, 10% tracing and an
 * ext-authz provider for CUSTOM authorization, plus one enrolled namespace.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'istio-control-plane');
  const istio = new IstioControlPlane(chart, 'istio', {
    istiod: { replicas: 2, resources: { cpuRequest: '500m', memoryRequest: '2Gi' } },
    meshConfig: {
      outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY,
      accessLogFile: '/dev/stdout',
      tracingSamplingPercent: 10,
      extensionProviders: [ExtensionProvider.extAuthzHttp('ext-authz', { service: 'ext-authz.auth.svc.cluster.local', port: 8000 })],
    },
  });
  istio.enrolNamespaceNamed('shop');
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
