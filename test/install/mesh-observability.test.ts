import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ControlPlaneDelivery, ExtensionProvider, IngressGateway, IstioControlPlane, MeshIngress, MeshObservability, ObservabilityDelivery,
} from '../../src';
import { gitOpsSchemaErrors } from '../support/gitops-schemas';
import { ofKind, only, synth } from '../support/synth';

function setup(delivery = ControlPlaneDelivery.argoCd(), revision?: string): { c: Chart; istio: IstioControlPlane } {
  const c = new Chart(Testing.app(), 'obs');
  const istio = new IstioControlPlane(c, 'istio', { delivery, revision });
  return { c, istio };
}

const istiodValues = (objects: any[]) => objects.find(o => /istiod/.test(o.metadata.name) && (o.kind === 'Application' || o.kind === 'HelmRelease'));

describe('MeshObservability — wiring', () => {
  test('the mesh config gets the tracing provider of the Jaeger collector; a mesh-wide Telemetry samples and logs', () => {
    const { c, istio } = setup();
    new MeshObservability(c, 'obs', { controlPlane: istio, tracingSamplingPercent: 25 });
    const objects = synth(c);
    const values = istiodValues(objects).spec.source.helm.valuesObject;
    expect(values.meshConfig.extensionProviders).toEqual([
      { name: 'mesh-tracing', opentelemetry: { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 } },
    ]);
    expect(only(objects, 'Telemetry')).toMatchObject({
      metadata: { name: 'mesh-default', namespace: 'istio-system' },
      spec: { tracing: [{ providers: [{ name: 'mesh-tracing' }], randomSamplingPercentage: 25 }], accessLogging: [{ providers: [{ name: 'envoy' }] }] },
    });
    const collector = objects.find(o => o.kind === 'Service' && o.metadata.name === 'jaeger-collector');
    expect(collector.metadata.namespace).toBe('istio-system');
    expect(collector.spec.ports.map((p: any) => p.port)).toContain(4317);
  });

  test('Kiali knows the control plane namespace and revision, Prometheus, Grafana and Jaeger', () => {
    const { c, istio } = setup(ControlPlaneDelivery.argoCd(), '1-30');
    new MeshObservability(c, 'obs', { controlPlane: istio });
    const kiali = synth(c).find(o => o.kind === 'Application' && o.metadata.name === 'kiali').spec.source.helm.valuesObject;
    expect(kiali).toMatchObject({
      auth: { strategy: 'token' },
      istio_namespace: 'istio-system',
      deployment: {
        view_only_mode: true,
        instance_name: 'kiali',
        custom_secrets: [{ name: 'kiali-signing-key', mount: '/kiali-override-secrets/login-token-signing-key', optional: false }],
      },
      external_services: {
        istio: { config_map_name: 'istio-1-30', istiod_deployment_name: 'istiod-1-30', istio_sidecar_injector_config_map_name: 'istio-sidecar-injector-1-30' },
        prometheus: { url: 'http://prometheus.istio-system:9090' },
        grafana: { enabled: true, internal_url: 'http://grafana.istio-system:3000' },
        tracing: { enabled: true, provider: 'jaeger', internal_url: 'http://tracing.istio-system:16685', use_grpc: true },
      },
    });
  });

  test('a sampling rate set on the control plane too is an error (the Telemetry would override it silently)', () => {
    const c = new Chart(Testing.app(), 'obs');
    const istio = new IstioControlPlane(c, 'istio', { meshConfig: { tracingSamplingPercent: 5 } });
    expect(() => new MeshObservability(c, 'obs', { controlPlane: istio })).toThrow(/meshConfig.tracingSamplingPercent \(5\) would be overridden .* remove it from the control plane/);
  });

  test('a tracing provider pointing into the stack at a port nothing serves is an error', () => {
    const c = new Chart(Testing.app(), 'obs');
    const istio = new IstioControlPlane(c, 'istio', {
      meshConfig: { extensionProviders: [ExtensionProvider.zipkin('zipkin', { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 })] },
    });
    new MeshObservability(c, 'obs', { controlPlane: istio });
    expect(() => Testing.synth(c)).toThrow(/tracing provider 'zipkin' sends spans to zipkin.istio-system.svc.cluster.local:9411, which no Service .* answers \(the collector listens on .*jaeger-collector.istio-system.svc.cluster.local:9411/);
  });

  test('the same provider aimed at the collector passes', () => {
    const c = new Chart(Testing.app(), 'obs');
    const istio = new IstioControlPlane(c, 'istio', {
      meshConfig: { extensionProviders: [ExtensionProvider.zipkin('zipkin', { service: 'jaeger-collector.istio-system', port: 9411 })] },
    });
    new MeshObservability(c, 'obs', { controlPlane: istio });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('with tracing off, a provider aimed at the collector has no backend', () => {
    const c = new Chart(Testing.app(), 'obs');
    const istio = new IstioControlPlane(c, 'istio', {
      meshConfig: { extensionProviders: [ExtensionProvider.openTelemetry('otel', { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 })] },
    });
    new MeshObservability(c, 'obs', { controlPlane: istio, tracing: false });
    expect(() => Testing.synth(c)).toThrow(/tracing provider 'otel' .* \(its tracing is off\)/);
  });

  test('a rendered control plane (istioctl already ran) must declare the provider itself; the error says which', () => {
    const c = new Chart(Testing.app(), 'obs');
    const istio = new IstioControlPlane(c, 'istio', { delivery: ControlPlaneDelivery.istioOperator() });
    // istioOperator is lazy: the provider is added; addExtensionProvider refuses only the rendered delivery.
    new MeshObservability(c, 'obs', { controlPlane: istio });
    expect(only(synth(c), 'IstioOperator').spec.values.meshConfig.extensionProviders[0].name).toBe('mesh-tracing');
    const rendered = Object.create(istio, { delivery: { value: ControlPlaneDelivery.rendered() } });
    expect(() => IstioControlPlane.prototype.addExtensionProvider.call(rendered, ExtensionProvider.zipkin('z', { service: 'z.ns.svc.cluster.local', port: 9411 })))
      .toThrow(/rendered delivery ran 'istioctl manifest generate' .* Pass it in meshConfig.extensionProviders instead/);
  });

  test('props out of range are clear errors', () => {
    const { c, istio } = setup();
    expect(() => new MeshObservability(c, 'a', { controlPlane: istio, tracingSamplingPercent: 120 })).toThrow(/tracingSamplingPercent/);
    expect(() => new MeshObservability(c, 'b', { controlPlane: istio, tracing: false, tracingSamplingPercent: 5 })).toThrow(/tracing is false/);
    expect(() => new MeshObservability(c, 'c', { controlPlane: istio, prometheusOperator: { url: 'prometheus:9090' } })).toThrow(/prometheusOperator.url must be an http\(s\) URL/);
  });
});

describe('MeshObservability — deliveries', () => {
  test('Argo CD (following the control plane): one Application per chart after the control plane, valid by Argo CD\'s schema', () => {
    const { c, istio } = setup();
    new MeshObservability(c, 'obs', { controlPlane: istio });
    const objects = synth(c);
    const apps = ofKind(objects, 'Application').filter(a => ['prometheus', 'grafana', 'kiali'].includes(a.metadata.name));
    expect(apps.map(a => [a.metadata.name, a.spec.source.repoURL, a.spec.source.chart, a.spec.source.targetRevision, a.metadata.annotations['argocd.argoproj.io/sync-wave']])).toEqual([
      ['prometheus', 'https://prometheus-community.github.io/helm-charts', 'prometheus', '28.13.0', '-5'],
      ['grafana', 'https://grafana.github.io/helm-charts', 'grafana', '9.2.2', '-5'],
      ['kiali', 'https://kiali.org/helm-charts', 'kiali-server', '2.27.0', '-5'],
    ]);
    const grafana = apps[1].spec.source.helm.valuesObject;
    expect(grafana.datasources['datasources.yaml'].datasources[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus.istio-system:9090' });
    expect(Object.values(grafana.dashboards.istio).map((d: any) => d.url)).toContain('https://grafana.com/api/dashboards/7639/revisions/latest/download');
    expect(grafana['grafana.ini']['auth.anonymous'].enabled).toBe(false);
    expect(grafana.admin.existingSecret).toBe('grafana-admin');
    expect(apps[0].spec.source.helm.valuesObject.server).toMatchObject({ fullnameOverride: 'prometheus', service: { servicePort: 9090 } });
    expect(gitOpsSchemaErrors(objects.filter(o => ['Application', 'Deployment', 'Service', 'ConfigMap', 'ServiceAccount'].includes(o.kind)))).toEqual([]);
  });

  test('Flux (following the control plane): a HelmRepository and HelmRelease per chart, valid by Flux\'s schemas', () => {
    const { c, istio } = setup(ControlPlaneDelivery.flux());
    new MeshObservability(c, 'obs', { controlPlane: istio, kiali: false });
    const objects = synth(c);
    const releases = ofKind(objects, 'HelmRelease').filter(r => ['prometheus', 'grafana'].includes(r.metadata.name));
    const spec = (r: any) => r.spec.chart.spec;
    expect(releases.map(r => [spec(r).chart, spec(r).version, spec(r).sourceRef.name, r.spec.targetNamespace])).toEqual([
      ['prometheus', '28.13.0', 'prometheus', 'istio-system'],
      ['grafana', '9.2.2', 'grafana', 'istio-system'],
    ]);
    expect(ofKind(objects, 'HelmRepository').map(r => r.spec.url)).toEqual(expect.arrayContaining(['https://grafana.github.io/helm-charts']));
    expect(gitOpsSchemaErrors(objects.filter(o => ['HelmRelease', 'HelmRepository'].includes(o.kind)))).toEqual([]);
    // The istiod release carries the tracing provider too.
    expect(istiodValues(objects).spec.values.meshConfig.extensionProviders[0].name).toBe('mesh-tracing');
  });

  test('rendered: native objects, one replica each, outside the mesh, valid by Kubernetes\' schemas', () => {
    const { c, istio } = setup(ControlPlaneDelivery.istioOperator());
    new MeshObservability(c, 'obs', { controlPlane: istio });
    const objects = synth(c);
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments.map(d => d.metadata.name)).toEqual(['prometheus', 'grafana', 'kiali', 'jaeger']);
    for (const d of deployments) {
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('false');
    }
    const native = objects.filter(o => ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    expect(gitOpsSchemaErrors(native)).toEqual([]);
    const config = YAML.parse(objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'prometheus').data['prometheus.yml']) as any;
    const pods = config.scrape_configs.find((j: any) => j.job_name === 'kubernetes-pods');
    expect(pods.relabel_configs[0]).toEqual({ source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' });
    const grafana = deployments[1].spec.template.spec;
    expect(grafana.initContainers[0].command[2]).toContain('https://grafana.com/api/dashboards/7645/revisions/latest/download');
    expect(grafana.containers[0].env).toContainEqual({ name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } } });
    const kiali = YAML.parse(objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'kiali').data['config.yaml']) as any;
    expect(kiali.auth.strategy).toBe('token');
    // Sessions are signed with the key of a Secret mounted where Kiali reads overrides.
    const kialiPod = deployments[2].spec.template.spec;
    expect(kialiPod.volumes).toContainEqual({ name: 'signing-key', secret: { secretName: 'kiali-signing-key' } });
    expect(kialiPod.containers[0].volumeMounts).toContainEqual({ name: 'signing-key', mountPath: '/kiali-override-secrets/login-token-signing-key', readOnly: true });
  });

  test('Prometheus operator: a PodMonitor and a ServiceMonitor instead of a Prometheus, valid by the operator\'s schemas', () => {
    const { c, istio } = setup(ControlPlaneDelivery.istioOperator());
    const obs = new MeshObservability(c, 'obs', {
      controlPlane: istio,
      prometheusOperator: { url: 'http://prometheus-operated.monitoring:9090', monitorLabels: { release: 'kube-prometheus' } },
    });
    const objects = synth(c);
    expect(ofKind(objects, 'Deployment').map(d => d.metadata.name)).toEqual(['grafana', 'kiali', 'jaeger']);
    const monitors = objects.filter(o => o.apiVersion === 'monitoring.coreos.com/v1');
    expect(monitors.map(m => [m.kind, m.metadata.labels.release])).toEqual([['PodMonitor', 'kube-prometheus'], ['ServiceMonitor', 'kube-prometheus']]);
    expect(monitors[1].spec).toMatchObject({ selector: { matchLabels: { istio: 'pilot' } }, endpoints: [{ port: 'http-monitoring' }] });
    expect(gitOpsSchemaErrors(monitors)).toEqual([]);
    expect(obs.prometheusUrl).toBe('http://prometheus-operated.monitoring:9090');
    expect(obs.userInterfaces.map(u => u.name)).toEqual(['grafana', 'kiali', 'tracing']);
  });
});

describe('MeshObservability — UIs through MeshIngress', () => {
  test('one call serves every UI on its host with a JWT required at the gateway; Kiali links to where they are served', () => {
    const { c, istio } = setup(ControlPlaneDelivery.istioOperator());
    const obs = new MeshObservability(c, 'obs', { controlPlane: istio });
    const gw = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    const hosts = new MeshIngress(c, 'ui', { gateway: gw }).exposeUserInterfaces(obs.userInterfaces, {
      domain: 'mesh.example.com',
      credentialName: 'mesh-cert',
      jwt: { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }], requiredClaims: { groups: ['ops'] } },
    });
    expect(hosts.map(h => h.host)).toEqual(['grafana.mesh.example.com', 'kiali.mesh.example.com', 'prometheus.mesh.example.com', 'tracing.mesh.example.com']);
    const objects = synth(c);
    const deny = objects.find(o => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'jwt-grafana-mesh-example-com');
    expect(deny).toMatchObject({
      metadata: { namespace: 'istio-ingress' },
      spec: {
        action: 'DENY',
        selector: { matchLabels: gw.podLabels },
        rules: [
          { from: [{ source: { notRequestPrincipals: ['https://auth.example.com/*'] } }], to: [{ operation: { hosts: ['grafana.mesh.example.com', 'grafana.mesh.example.com:*'], ports: ['8443'] } }] },
          { when: [{ key: 'request.auth.claims[groups]', notValues: ['ops'] }] },
        ],
      },
    });
    const kiali = YAML.parse(objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'kiali').data['config.yaml']) as any;
    expect(kiali.external_services.grafana.external_url).toBe('https://grafana.mesh.example.com');
    expect(kiali.external_services.tracing.external_url).toBe('https://tracing.mesh.example.com');
  });

  test('hosts sharing a certificate share one HTTPS server (browsers reuse one connection for them); tokens are forwarded', () => {
    const { c, istio } = setup(ControlPlaneDelivery.istioOperator());
    const obs = new MeshObservability(c, 'obs', { controlPlane: istio });
    const gw = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    new MeshIngress(c, 'ui', { gateway: gw }).exposeUserInterfaces(obs.userInterfaces, {
      domain: 'mesh.example.com',
      credentialName: 'mesh-cert',
      jwt: { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }] },
    });
    const objects = synth(c);
    const servers = only(objects, 'Gateway').spec.servers;
    expect(servers.map((s: any) => [s.port.number, s.hosts.length])).toEqual([[443, 4], [80, 4]]);
    const ra = objects.find(o => o.kind === 'RequestAuthentication' && o.metadata.name === 'jwt-grafana-mesh-example-com');
    expect(ra.spec.jwtRules[0].forwardOriginalToken).toBe(true);
  });

  test('a JWT on a wildcard host cannot be scoped to it: an error', () => {
    const { c } = setup(ControlPlaneDelivery.istioOperator());
    const gw = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    const jwt = { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }] };
    expect(() => new MeshIngress(c, 'ui', { gateway: gw }).addHost('*.example.com', { credentialName: 'cert', jwt }))
      .toThrow(/jwt on the wildcard host '\*.example.com'/);
  });

  test('bad exposure input is a clear error', () => {
    const { c, istio } = setup(ControlPlaneDelivery.istioOperator());
    const obs = new MeshObservability(c, 'obs', { controlPlane: istio });
    const gw = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    const ingress = new MeshIngress(c, 'ui', { gateway: gw });
    const jwt = { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }] };
    expect(() => ingress.exposeUserInterfaces([], { domain: 'mesh.example.com', credentialName: 'x', jwt })).toThrow(/userInterfaces is empty/);
    expect(() => ingress.exposeUserInterfaces(obs.userInterfaces, { domain: 'mesh.example.com', credentialName: 'x', jwt: { issuers: [] } })).toThrow(/jwt.issuers .* is empty/);
    expect(() => ingress.exposeUserInterfaces([{ name: 'Grafana UI', serviceHost: 'g.ns.svc.cluster.local', port: 80 }], { domain: 'mesh.example.com', credentialName: 'x', jwt }))
      .toThrow(/userInterfaces\[0\].name 'Grafana UI' is not a DNS label/);
  });
});

test('every object is an ApiObject under the construct (escape hatch)', () => {
  const { c, istio } = setup(ControlPlaneDelivery.istioOperator());
  const obs = new MeshObservability(c, 'obs', { controlPlane: istio });
  const grafana = obs.node.findAll().find(x => x instanceof ApiObject && x.kind === 'Deployment' && x.name === 'grafana') as ApiObject;
  grafana.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { pool: 'ops' }));
  expect(synth(c).find(o => o.kind === 'Deployment' && o.metadata.name === 'grafana').spec.template.spec.nodeSelector).toEqual({ pool: 'ops' });
});
