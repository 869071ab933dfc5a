import { ApiObject, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BACKEND, CURL_IMAGE, DASHBOARD_DIR, GRAFANA_IMAGE, ISTIO_DASHBOARDS, JAEGER_IMAGE, KIALI_IMAGE, KIALI_SIGNING_KEY_MOUNT, NO_SIDECAR,
  ObservabilitySettings, PROMETHEUS_IMAGE, dashboardUrl, grafanaDashboardProviders, grafanaDatasources, kialiConfig,
} from './observability-settings';

// Native objects of the observability backends: one replica each, no sidecar (like Istio's
// samples/addons), so they run before and outside the mesh they watch.

function object(scope: Construct, kind: string, apiVersion: string, name: string, namespace: string | undefined, rest: any): ApiObject {
  return new ApiObject(scope, `${kind}-${name}`, { apiVersion, kind, metadata: { name, namespace, labels: { app: rest.app ?? name } }, ...rest.body });
}

function serviceAccount(scope: Construct, name: string, ns: string): void {
  object(scope, 'ServiceAccount', 'v1', name, ns, { body: {} });
}

function clusterRead(scope: Construct, name: string, ns: string, rules: any[]): void {
  object(scope, 'ClusterRole', 'rbac.authorization.k8s.io/v1', `${name}-${ns}`, undefined, { app: name, body: { rules } });
  object(scope, 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', `${name}-${ns}`, undefined, {
    app: name,
    body: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-${ns}` },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    },
  });
}

function deployment(scope: Construct, name: string, ns: string, pod: any, podAnnotations?: { [k: string]: string }): void {
  object(scope, 'Deployment', 'apps/v1', name, ns, {
    body: {
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name, ...NO_SIDECAR }, annotations: podAnnotations }, spec: { serviceAccountName: name, ...pod } },
      },
    },
  });
}

function service(scope: Construct, name: string, ns: string, app: string, ports: any[]): void {
  object(scope, 'Service', 'v1', name, ns, { app, body: { spec: { selector: { app }, ports } } });
}

const READ = ['get', 'list', 'watch'];

/** Prometheus scraping what Istio's injector annotates (proxies' merged metrics, gateways, istiod). @internal */
export function renderPrometheus(scope: Construct, s: ObservabilitySettings): void {
  const name = BACKEND.prometheus.service;
  const config = {
    global: { scrape_interval: '15s' },
    scrape_configs: [{
      job_name: 'kubernetes-pods',
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', target_label: '__metrics_path__', regex: '(.+)' },
        // Scrape the annotated port (15020, the agent's merged metrics, for proxies; 15014 for istiod).
        {
          source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
          action: 'replace',
          regex: '([^:]+)(?::\\d+)?;(\\d+)',
          replacement: '$1:$2',
          target_label: '__address__',
        },
        { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
        { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
        { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
      ],
    }],
  };
  object(scope, 'ConfigMap', 'v1', name, s.namespace, { body: { data: { 'prometheus.yml': Yaml.stringify(config) } } });
  serviceAccount(scope, name, s.namespace);
  clusterRead(scope, name, s.namespace, [
    { apiGroups: [''], resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: READ },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ]);
  deployment(scope, name, s.namespace, {
    containers: [{
      name,
      image: PROMETHEUS_IMAGE,
      args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=15d', '--web.enable-lifecycle'],
      ports: [{ name: 'http', containerPort: BACKEND.prometheus.port }],
      readinessProbe: { httpGet: { path: '/-/ready', port: BACKEND.prometheus.port } },
      volumeMounts: [{ name: 'config', mountPath: '/etc/prometheus' }, { name: 'data', mountPath: '/prometheus' }],
    }],
    volumes: [{ name: 'config', configMap: { name } }, { name: 'data', emptyDir: {} }],
  });
  service(scope, name, s.namespace, name, [{ name: 'http', port: BACKEND.prometheus.port, targetPort: BACKEND.prometheus.port }]);
}

/** Grafana with the Prometheus data source and Istio's dashboards (fetched from grafana.com at start). @internal */
export function renderGrafana(scope: Construct, s: ObservabilitySettings): void {
  const name = BACKEND.grafana.service;
  const ini = '[auth.anonymous]\nenabled = false\n[paths]\nprovisioning = /etc/grafana/provisioning\n';
  object(scope, 'ConfigMap', 'v1', name, s.namespace, {
    body: {
      data: {
        'grafana.ini': ini,
        'datasources.yaml': Yaml.stringify(grafanaDatasources(s)),
        'dashboardproviders.yaml': Yaml.stringify(grafanaDashboardProviders()),
      },
    },
  });
  serviceAccount(scope, name, s.namespace);
  const download = Object.entries(ISTIO_DASHBOARDS)
    .map(([dashboard, id]) => `curl -fsSL --retry 5 -o ${DASHBOARD_DIR}/${dashboard}.json ${dashboardUrl(id)}`).join(' && ');
  const secret = (key: string) => ({ valueFrom: { secretKeyRef: { name: s.grafanaAdminSecret, key } } });
  deployment(scope, name, s.namespace, {
    initContainers: [{
      name: 'download-dashboards',
      image: CURL_IMAGE,
      command: ['sh', '-c', download],
      volumeMounts: [{ name: 'dashboards', mountPath: DASHBOARD_DIR }],
    }],
    containers: [{
      name,
      image: GRAFANA_IMAGE,
      ports: [{ name: 'http', containerPort: BACKEND.grafana.port }],
      env: [{ name: 'GF_SECURITY_ADMIN_USER', ...secret('admin-user') }, { name: 'GF_SECURITY_ADMIN_PASSWORD', ...secret('admin-password') }],
      readinessProbe: { httpGet: { path: '/api/health', port: BACKEND.grafana.port } },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/grafana/grafana.ini', subPath: 'grafana.ini' },
        { name: 'config', mountPath: '/etc/grafana/provisioning/datasources/datasources.yaml', subPath: 'datasources.yaml' },
        { name: 'config', mountPath: '/etc/grafana/provisioning/dashboards/dashboardproviders.yaml', subPath: 'dashboardproviders.yaml' },
        { name: 'dashboards', mountPath: DASHBOARD_DIR },
        { name: 'storage', mountPath: '/var/lib/grafana' },
      ],
    }],
    volumes: [{ name: 'config', configMap: { name } }, { name: 'dashboards', emptyDir: {} }, { name: 'storage', emptyDir: {} }],
  });
  service(scope, name, s.namespace, name, [{ name: 'http', port: BACKEND.grafana.port, targetPort: BACKEND.grafana.port }]);
}

/** Kiali, read-only, with a login (token strategy). @internal */
export function renderKiali(scope: Construct, s: ObservabilitySettings): void {
  const name = BACKEND.kiali.service;
  object(scope, 'ConfigMap', 'v1', name, s.namespace, {
    // Lazy: Kiali's links use the hosts an ingress serves the UIs on, which may be added later.
    body: { data: { 'config.yaml': Lazy.any({ produce: () => Yaml.stringify(kialiConfig(s)) }) } },
  });
  serviceAccount(scope, name, s.namespace);
  clusterRead(scope, name, s.namespace, [
    { apiGroups: [''], resources: ['configmaps', 'endpoints', 'namespaces', 'nodes', 'pods', 'pods/log', 'replicationcontrollers', 'services'], verbs: READ },
    { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: READ },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: READ },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
    { apiGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io', 'gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'], resources: ['*'], verbs: READ },
    { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'subjectaccessreviews'], verbs: ['create'] },
  ]);
  deployment(scope, name, s.namespace, {
    containers: [{
      name,
      image: KIALI_IMAGE,
      command: ['/opt/kiali/kiali', '-config', '/kiali-configuration/config.yaml'],
      ports: [{ name: 'http', containerPort: BACKEND.kiali.port }],
      readinessProbe: { httpGet: { path: '/healthz', port: BACKEND.kiali.port } },
      volumeMounts: [{ name: 'config', mountPath: '/kiali-configuration' }, { name: 'signing-key', mountPath: KIALI_SIGNING_KEY_MOUNT, readOnly: true }],
    }],
    volumes: [{ name: 'config', configMap: { name } }, { name: 'signing-key', secret: { secretName: s.kialiSigningKeySecret } }],
  });
  service(scope, name, s.namespace, name, [{ name: 'http', port: BACKEND.kiali.port, targetPort: BACKEND.kiali.port }]);
}

/** Jaeger v2 all-in-one, receiving OTLP and Zipkin, keeping traces in memory. @internal */
export function renderJaeger(scope: Construct, s: ObservabilitySettings): void {
  const name = 'jaeger';
  const c = BACKEND.collector;
  const config = {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp', 'zipkin'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: '0.0.0.0:13133' } },
      jaeger_query: { storage: { traces: 'memory_store' }, base_path: '/' },
      jaeger_storage: { backends: { memory_store: { memory: { max_traces: 100000 } } } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${c.otlpGrpc}` }, http: { endpoint: `0.0.0.0:${c.otlpHttp}` } } },
      zipkin: { endpoint: `0.0.0.0:${c.zipkin}` },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memory_store' } },
  };
  object(scope, 'ConfigMap', 'v1', name, s.namespace, { body: { data: { 'config.yaml': Yaml.stringify(config) } } });
  serviceAccount(scope, name, s.namespace);
  deployment(scope, name, s.namespace, {
    containers: [{
      name,
      image: JAEGER_IMAGE,
      args: ['--config', '/jaeger-configuration/config.yaml'],
      ports: [
        { name: 'http-query', containerPort: BACKEND.tracingUi.targetPort },
        { name: 'grpc-query', containerPort: BACKEND.tracingGrpc.port },
        { name: 'grpc-otlp', containerPort: c.otlpGrpc },
        { name: 'http-otlp', containerPort: c.otlpHttp },
        { name: 'http-zipkin', containerPort: c.zipkin },
      ],
      readinessProbe: { httpGet: { path: '/status', port: 13133 } },
      volumeMounts: [{ name: 'config', mountPath: '/jaeger-configuration' }],
    }],
    volumes: [{ name: 'config', configMap: { name } }],
  });
  service(scope, BACKEND.tracingUi.service, s.namespace, name, [
    { name: 'http-query', port: BACKEND.tracingUi.port, targetPort: BACKEND.tracingUi.targetPort },
    { name: 'grpc-query', port: BACKEND.tracingGrpc.port, targetPort: BACKEND.tracingGrpc.port },
  ]);
  service(scope, c.service, s.namespace, name, [
    { name: 'grpc-otlp', port: c.otlpGrpc, targetPort: c.otlpGrpc },
    { name: 'http-otlp', port: c.otlpHttp, targetPort: c.otlpHttp },
    { name: 'http-zipkin', port: c.zipkin, targetPort: c.zipkin },
  ]);
}

/**
 * For a Prometheus run by the Prometheus operator: a PodMonitor for every proxy's
 * merged metrics (the port in its prometheus.io/port annotation) and a ServiceMonitor for istiod.
 * @internal
 */
export function renderMonitors(scope: Construct, s: ObservabilitySettings, labels: { [key: string]: string } | undefined): void {
  new ApiObject(scope, 'PodMonitor-istio-proxies', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: 'istio-proxies', namespace: s.namespace, labels },
    spec: {
      selector: { matchExpressions: [{ key: 'istio-prometheus-ignore', operator: 'DoesNotExist' }] },
      namespaceSelector: { any: true },
      jobLabel: 'envoy-stats',
      podMetricsEndpoints: [{
        path: '/stats/prometheus',
        interval: '15s',
        relabelings: [
          { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_container_name'], regex: 'istio-proxy' },
          { action: 'keep', sourceLabels: ['__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape'] },
          {
            action: 'replace',
            sourceLabels: ['__meta_kubernetes_pod_ip', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            regex: '([^;]+);(\\d+)',
            replacement: '$1:$2',
            targetLabel: '__address__',
          },
          { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
          { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
        ],
      }],
    },
  });
  new ApiObject(scope, 'ServiceMonitor-istiod', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'istiod', namespace: s.namespace, labels },
    spec: {
      selector: { matchLabels: { istio: 'pilot' } },
      namespaceSelector: { matchNames: [s.istioNamespace] },
      jobLabel: 'istio',
      endpoints: [{ port: 'http-monitoring', interval: '15s' }],
    },
  });
}
