// What the observability backends are configured with, shared by the Helm values
// (Argo CD, Flux) and the native objects (rendered), so both deliveries wire the same.

/** Everything the backends need to know about each other and the control plane. @internal */
export interface ObservabilitySettings {
  readonly namespace: string;
  readonly istioNamespace: string;
  readonly revision?: string;
  readonly prometheusUrl: string;
  readonly deployPrometheus: boolean;
  readonly grafana: boolean;
  readonly kiali: boolean;
  readonly tracing: boolean;
  readonly grafanaAdminSecret: string;
  readonly kialiSigningKeySecret: string;
  /** Where users reach each UI from outside (Kiali links to Grafana and Jaeger with them). */
  readonly externalUrls: () => { [ui: string]: string };
}

/** A Helm chart of one backend. @internal */
export interface BackendChart {
  readonly name: string;
  readonly repoUrl: string;
  readonly chart: string;
  readonly version: string;
  readonly values: (s: ObservabilitySettings) => any;
}

// The chart versions and images Istio's samples/addons are generated from (1.30 and the pinned 1.31 module alike).
/** @internal */ export const PROMETHEUS_IMAGE = 'docker.io/prom/prometheus:v3.10.0';
/** @internal */ export const GRAFANA_IMAGE = 'docker.io/grafana/grafana:12.0.1';
/** @internal */ export const KIALI_IMAGE = 'quay.io/kiali/kiali:v2.27';
/** @internal */ export const JAEGER_IMAGE = 'docker.io/jaegertracing/jaeger:2.17.0';
/** @internal */ export const CURL_IMAGE = 'docker.io/curlimages/curl:8.17.0';

/** Service names and ports the backends answer on (both deliveries). @internal */
export const BACKEND = {
  prometheus: { service: 'prometheus', port: 9090 },
  grafana: { service: 'grafana', port: 3000 },
  kiali: { service: 'kiali', port: 20001 },
  tracingUi: { service: 'tracing', port: 80, targetPort: 16686 },
  tracingGrpc: { service: 'tracing', port: 16685 },
  collector: { service: 'jaeger-collector', otlpGrpc: 4317, otlpHttp: 4318, zipkin: 9411 },
};

/** Name of the tracing extension provider the mesh config gets. @internal */
export const TRACING_PROVIDER = 'mesh-tracing';

/**
 * The dashboards Istio publishes on grafana.com (mesh, service, workload, performance, control
 * plane, extensions; Istio's addons also bundle a ztunnel dashboard that is not published there).
 * @internal
 */
export const ISTIO_DASHBOARDS: { [name: string]: number } = {
  'istio-mesh': 7639,
  'istio-service': 7636,
  'istio-workload': 7630,
  'istio-performance': 11829,
  'istio-control-plane': 7645,
  'istio-extensions': 13277,
};

/** grafana.com's download address of a dashboard's latest revision. @internal */
export function dashboardUrl(id: number): string {
  return `https://grafana.com/api/dashboards/${id}/revisions/latest/download`;
}

/** @internal */
export const DASHBOARD_DIR = '/var/lib/grafana/dashboards/istio';

/** Grafana's data source provisioning file. @internal */
export function grafanaDatasources(s: ObservabilitySettings): any {
  return {
    apiVersion: 1,
    datasources: [{ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: s.prometheusUrl, isDefault: true, jsonData: { timeInterval: '15s' } }],
  };
}

/** Grafana's dashboard provisioning file: the Istio folder, read from DASHBOARD_DIR. @internal */
export function grafanaDashboardProviders(): any {
  return {
    apiVersion: 1,
    providers: [{ name: 'istio', orgId: 1, folder: 'istio', type: 'file', disableDeletion: false, options: { path: DASHBOARD_DIR } }],
  };
}

/**
 * Where Kiali reads the key that signs its login sessions from (a Secret mounted there overrides
 * `login_token.signing_key`). @internal
 */
export const KIALI_SIGNING_KEY_MOUNT = '/kiali-override-secrets/login-token-signing-key';

/** Kiali's configuration: where Istio, Prometheus, Grafana and Jaeger are; a login required. @internal */
export function kialiConfig(s: ObservabilitySettings): any {
  const rev = s.revision ? `-${s.revision}` : '';
  const external = s.externalUrls();
  return {
    auth: { strategy: 'token' },
    // The real key comes from the Secret mounted at KIALI_SIGNING_KEY_MOUNT. This placeholder is not a
    // valid key (Kiali needs 16, 24 or 32 bytes), so Kiali refuses to start rather than use it.
    login_token: { signing_key: 'from-the-mounted-secret' },
    deployment: { namespace: s.namespace, view_only_mode: true, cluster_wide_access: true },
    istio_namespace: s.istioNamespace,
    server: { port: BACKEND.kiali.port, web_root: '/' },
    external_services: {
      istio: {
        root_namespace: s.istioNamespace,
        config_map_name: `istio${rev}`,
        istiod_deployment_name: `istiod${rev}`,
        istio_sidecar_injector_config_map_name: `istio-sidecar-injector${rev}`,
      },
      prometheus: { url: s.prometheusUrl },
      grafana: s.grafana
        ? { enabled: true, internal_url: `http://${BACKEND.grafana.service}.${s.namespace}:${BACKEND.grafana.port}`, external_url: external.grafana ?? '' }
        : { enabled: false },
      tracing: s.tracing
        ? {
          enabled: true,
          provider: 'jaeger',
          use_grpc: true,
          internal_url: `http://${BACKEND.tracingGrpc.service}.${s.namespace}:${BACKEND.tracingGrpc.port}`,
          external_url: external.tracing ?? '',
        }
        : { enabled: false },
    },
  };
}

/** Pods of the backends run outside the mesh they watch (like Istio's samples/addons). @internal */
export const NO_SIDECAR = { 'sidecar.istio.io/inject': 'false' };

/** The charts of a delivery through Helm, in install order. @internal */
export function backendCharts(s: ObservabilitySettings): BackendChart[] {
  const charts: BackendChart[] = [];
  if (s.deployPrometheus) {
    charts.push({
      name: 'prometheus',
      repoUrl: 'https://prometheus-community.github.io/helm-charts',
      chart: 'prometheus',
      version: '28.13.0',
      // The chart's default scrape jobs include 'kubernetes-pods', which reads the prometheus.io/*
      // annotations Istio's injector puts on every proxy (merged metrics), gateway and istiod.
      values: () => ({
        'alertmanager': { enabled: false },
        'prometheus-pushgateway': { enabled: false },
        'kube-state-metrics': { enabled: false },
        'prometheus-node-exporter': { enabled: false },
        'server': {
          fullnameOverride: BACKEND.prometheus.service,
          podLabels: NO_SIDECAR,
          persistentVolume: { enabled: false },
          service: { servicePort: BACKEND.prometheus.port },
          global: { scrape_interval: '15s' },
        },
      }),
    });
  }
  if (s.grafana) {
    charts.push({
      name: 'grafana',
      repoUrl: 'https://grafana.github.io/helm-charts',
      chart: 'grafana',
      version: '9.2.2',
      values: () => ({
        'fullnameOverride': BACKEND.grafana.service,
        'podLabels': NO_SIDECAR,
        'service': { port: BACKEND.grafana.port },
        'admin': { existingSecret: s.grafanaAdminSecret, userKey: 'admin-user', passwordKey: 'admin-password' },
        'grafana.ini': { 'auth.anonymous': { enabled: false } },
        'datasources': { 'datasources.yaml': grafanaDatasources(s) },
        'dashboardProviders': { 'dashboardproviders.yaml': grafanaDashboardProviders() },
        'dashboards': {
          istio: Object.fromEntries(Object.entries(ISTIO_DASHBOARDS).map(([name, id]) => [name, { url: dashboardUrl(id), datasource: 'Prometheus' }])),
        },
      }),
    });
  }
  if (s.kiali) {
    charts.push({
      name: 'kiali',
      repoUrl: 'https://kiali.org/helm-charts',
      chart: 'kiali-server',
      version: '2.27.0',
      values: () => {
        const config = kialiConfig(s);
        return {
          ...config,
          deployment: {
            ...config.deployment,
            instance_name: BACKEND.kiali.service,
            pod_labels: NO_SIDECAR,
            custom_secrets: [{ name: s.kialiSigningKeySecret, mount: KIALI_SIGNING_KEY_MOUNT, optional: false }],
          },
        };
      },
    });
  }
  return charts;
}
