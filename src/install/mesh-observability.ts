import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { emitArgoCdApplications } from './argo-cd-applications';
import { DeliveryKind } from './control-plane-delivery';
import { ChartRelease } from './control-plane-model';
import { emitFluxHelmReleases } from './flux-helm-releases';
import { IstioControlPlane } from './istio-control-plane';
import { ExtensionProvider } from './mesh-config';
import { ObservabilityDelivery, ObservabilityDeliveryKind } from './observability-delivery';
import { renderGrafana, renderJaeger, renderKiali, renderMonitors, renderPrometheus } from './rendering/observability-objects';
import { BACKEND, backendCharts, ObservabilitySettings, TRACING_PROVIDER } from './rendering/observability-settings';
import { checkArguments, checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { checkDns1123Label, checkDns1123Subdomain, checkLabels } from '../core/names';
import { checkPercent } from '../core/percent';
import { UserInterface } from '../core/user-interface';
import { Telemetry } from '../resources/telemetry';

/** A Prometheus run by the Prometheus operator, which the stack uses instead of deploying its own. */
export interface PrometheusOperatorOptions {
  /** Where Grafana and Kiali query it, e.g. `http://prometheus-operated.monitoring:9090`. */
  readonly url: string;
  /** Labels of the PodMonitor and ServiceMonitor, to match the Prometheus' monitor selectors. @default - none */
  readonly monitorLabels?: { [key: string]: string };
}

/** Props of a `MeshObservability`. */
export interface MeshObservabilityProps {
  /** The control plane whose mesh is observed: its mesh config gets the tracing provider, Kiali its namespace and revision. */
  readonly controlPlane: IstioControlPlane;
  /** Namespace of the backends and of their Services. @default - the control plane's namespace */
  readonly namespace?: string;
  /**
   * How the stack reaches the cluster.
   * @default - the control plane's: Argo CD → Argo CD (same Argo CD namespace/project), Flux → Flux, IstioOperator or rendered → rendered
   */
  readonly delivery?: ObservabilityDelivery;
  /** Deploy Jaeger and send traces to it from every proxy. @default true */
  readonly tracing?: boolean;
  /** Percentage of requests traced (0–100). @default 1 */
  readonly tracingSamplingPercent?: number;
  /** Envoy access logs on every proxy (Istio's built-in `envoy` provider, to stdout). @default true */
  readonly accessLogs?: boolean;
  /** Deploy Grafana with Istio's dashboards. @default true */
  readonly grafana?: boolean;
  /**
   * The Secret (keys `admin-user`, `admin-password`) Grafana's admin login comes from;
   * create it with your secret manager. Anonymous access is off.
   * @default 'grafana-admin'
   */
  readonly grafanaAdminSecret?: string;
  /** Deploy Kiali (read-only, Kubernetes token login). @default true */
  readonly kiali?: boolean;
  /**
   * The Secret whose key `value.txt` holds the key Kiali signs login sessions with (16, 24
   * or 32 characters); create it with your secret manager. Kiali does not start without it.
   * @default 'kiali-signing-key'
   */
  readonly kialiSigningKeySecret?: string;
  /** Use a Prometheus run by the Prometheus operator (PodMonitor + ServiceMonitor) instead of deploying one. @default - Prometheus is deployed */
  readonly prometheusOperator?: PrometheusOperatorOptions;
}

const MARKER = Symbol.for('cdk8s-istio.MeshObservability');

/**
 * What Istio's getting-started path installs next to the mesh, wired to it:
 * Prometheus (scraping the proxies' merged metrics, the gateways and istiod, or
 * PodMonitor/ServiceMonitor for the Prometheus operator), Grafana with Istio's
 * dashboards, Kiali (pointed at them, at Jaeger and at the control plane's
 * namespace and revision) and Jaeger. The control plane's mesh config gets the
 * tracing provider, and a mesh-wide `Telemetry` turns on sampling and access logs.
 *
 * @see https://istio.io/latest/docs/ops/integrations/
 *
 * @example
 * declare const chart: Chart;
 * declare const istio: IstioControlPlane;
 *
 * new MeshObservability(chart, 'observability', { controlPlane: istio, tracingSamplingPercent: 10 });
 */
export class MeshObservability extends Construct {
  /** Whether `x` is a MeshObservability (works across copies of the library). */
  public static isMeshObservability(x: any): x is MeshObservability {
    checkArguments(undefined, 'MeshObservability', 'isMeshObservability', arguments);
    return x !== null && typeof x === 'object' && MARKER in x;
  }

  /** Namespace of the backends. */
  public readonly namespace: string;
  /** Where Prometheus is queried. */
  public readonly prometheusUrl: string;
  /** Name of the tracing extension provider in the mesh config; undefined without tracing. */
  public readonly tracingProvider?: string;
  /** The mesh-wide Telemetry (tracing, access logs); undefined when both are off. */
  public readonly telemetry?: Telemetry;
  /** The delivery used. */
  public readonly delivery: ObservabilityDelivery;
  /** The web UIs of the stack, for `MeshIngress.exposeUserInterfaces`. */
  public readonly userInterfaces: UserInterface[];
  private readonly controlPlane: IstioControlPlane;
  /** (host, port) pairs the stack's Services answer on. */
  private readonly served: Set<string>;

  constructor(scope: Construct, id: string, props: MeshObservabilityProps) {
    super(scope, id);
    checkProps(this, 'MeshObservability', props);
    reportChildErrorsAsOwn(this);
    Object.defineProperty(this, MARKER, { value: true });
    const cp = props.controlPlane;
    this.controlPlane = cp;
    this.namespace = checkDns1123Label(this, 'namespace', props.namespace ?? cp.namespace);
    this.delivery = props.delivery ?? followDelivery(cp);
    const tracing = props.tracing ?? true;
    const sampling = checkPercent(this, 'tracingSamplingPercent', props.tracingSamplingPercent);
    if (!tracing && sampling !== undefined) fail(this, 'tracingSamplingPercent is set but tracing is false; remove one of them.');
    if (tracing && cp._meshConfig.tracingSamplingPercent !== undefined) {
      fail(this, `the control plane's meshConfig.tracingSamplingPercent (${cp._meshConfig.tracingSamplingPercent}) would be overridden by this stack's Telemetry; `
        + 'set tracingSamplingPercent here and remove it from the control plane.');
    }
    const operator = props.prometheusOperator;
    if (operator) {
      if (!/^https?:\/\/[^/\s]+/.test(operator.url)) fail(this, `prometheusOperator.url must be an http(s) URL such as 'http://prometheus-operated.monitoring:9090', got ${show(operator.url)}.`);
      checkLabels(this, 'prometheusOperator.monitorLabels', operator.monitorLabels);
    }
    const grafanaAdminSecret = checkDns1123Subdomain(this, 'grafanaAdminSecret', props.grafanaAdminSecret ?? 'grafana-admin');
    const kialiSigningKeySecret = checkDns1123Subdomain(this, 'kialiSigningKeySecret', props.kialiSigningKeySecret ?? 'kiali-signing-key');
    this.prometheusUrl = operator?.url ?? `http://${BACKEND.prometheus.service}.${this.namespace}:${BACKEND.prometheus.port}`;
    const settings: ObservabilitySettings = {
      namespace: this.namespace,
      istioNamespace: cp.namespace,
      revision: cp.revision,
      prometheusUrl: this.prometheusUrl,
      deployPrometheus: !operator,
      grafana: props.grafana ?? true,
      kiali: props.kiali ?? true,
      tracing,
      grafanaAdminSecret,
      kialiSigningKeySecret,
      externalUrls: () => externalUrls(this.node.root, this.userInterfaces),
    };

    const svc = (name: string) => `${name}.${this.namespace}.svc.cluster.local`;
    this.userInterfaces = [
      ...settings.grafana ? [{ name: 'grafana', serviceHost: svc(BACKEND.grafana.service), port: BACKEND.grafana.port }] : [],
      ...settings.kiali ? [{ name: 'kiali', serviceHost: svc(BACKEND.kiali.service), port: BACKEND.kiali.port }] : [],
      ...settings.deployPrometheus ? [{ name: 'prometheus', serviceHost: svc(BACKEND.prometheus.service), port: BACKEND.prometheus.port }] : [],
      ...tracing ? [{ name: 'tracing', serviceHost: svc(BACKEND.tracingUi.service), port: BACKEND.tracingUi.port }] : [],
    ];
    this.served = new Set(this.userInterfaces.map(ui => `${ui.serviceHost}:${ui.port}`));
    const c = BACKEND.collector;
    if (tracing) [c.otlpGrpc, c.otlpHttp, c.zipkin].forEach(port => this.served.add(`${svc(c.service)}:${port}`));

    if (this.delivery.kind === ObservabilityDeliveryKind.RENDERED) {
      if (settings.deployPrometheus) renderPrometheus(this, settings);
      if (settings.grafana) renderGrafana(this, settings);
      if (settings.kiali) renderKiali(this, settings);
    } else {
      this.emitCharts(settings);
    }
    if (operator) renderMonitors(this, settings, operator.monitorLabels);
    if (tracing) {
      renderJaeger(this, settings);
      this.tracingProvider = TRACING_PROVIDER;
      const provider = ExtensionProvider.openTelemetry(TRACING_PROVIDER, { service: svc(c.service), port: c.otlpGrpc });
      // A rendered control plane ran istioctl already; checkWiring tells the user what to declare.
      if (cp.delivery.kind !== DeliveryKind.RENDERED) cp.addExtensionProvider(provider);
    }
    const accessLogs = props.accessLogs ?? true;
    if (tracing || accessLogs) {
      this.telemetry = new Telemetry(this, 'Telemetry', {
        metadata: { name: 'mesh-default', namespace: cp.namespace },
        tracing: tracing ? [{ providers: [TRACING_PROVIDER], randomSamplingPercentage: sampling ?? 1 }] : undefined,
        accessLogging: accessLogs ? [{ providers: ['envoy'] }] : undefined,
      });
    }
    this.node.addValidation({ validate: () => this.checkWiring() });
  }

  /** Whether a Service of the stack answers on `host:port`. @internal */
  public _serves(host: string, port: number): boolean {
    return this.served.has(`${host}:${port}`);
  }

  private emitCharts(s: ObservabilitySettings): void {
    const d = this.delivery;
    // After the control plane (istiod is wave -20, cni/ztunnel -10).
    const releases: ChartRelease[] = backendCharts(s).map(chart => ({
      chart: chart.chart,
      releaseName: chart.name,
      repoUrl: chart.repoUrl,
      repositoryName: chart.name,
      version: chart.version,
      wave: -5,
      values: () => chart.values(s),
    }));
    const target = { scope: this, namespace: this.namespace };
    if (d.kind === ObservabilityDeliveryKind.ARGO_CD) emitArgoCdApplications(target, releases, d.argoCdOptions);
    else emitFluxHelmReleases(target, releases, d.fluxOptions);
  }

  /**
   * Every tracing provider of the app's control planes that points into this stack's
   * namespace must reach a Service that answers there; this stack's own provider must be declared.
   */
  private checkWiring(): string[] {
    const errors: string[] = [];
    const cp = this.controlPlane;
    if (this.tracingProvider && !cp.extensionProviderNames.includes(this.tracingProvider)) {
      const c = BACKEND.collector;
      errors.push(`MeshObservability '${this.node.path}': the control plane '${cp.node.path}' uses the rendered delivery, which ran istioctl before this stack existed, `
        + `so its mesh config lacks the tracing provider. Add ExtensionProvider.openTelemetry(${show(this.tracingProvider)}, `
        + `{ service: '${c.service}.${this.namespace}.svc.cluster.local', port: ${c.otlpGrpc} }) to its meshConfig.extensionProviders.`);
    }
    const services = appServices(this.node.root);
    for (const plane of this.node.root.node.findAll().filter(IstioControlPlane.isIstioControlPlane)) {
      for (const p of plane._extensionProviders.filter(x => x._tracing)) {
        const host = fqdn(p._target.service);
        if (!host.endsWith(`.${this.namespace}.svc.cluster.local`)) continue;
        if (this._serves(host, p._target.port) || services.has(`${host}:${p._target.port}`)) continue;
        const offered = [...this.served].filter(s => s.includes(BACKEND.collector.service));
        errors.push(`IstioControlPlane '${plane.node.path}': tracing provider ${show(p.name)} sends spans to ${host}:${p._target.port}, which no Service of this app `
          + `or of MeshObservability '${this.node.path}' answers${offered.length ? ` (the collector listens on ${offered.join(', ')})` : ' (its tracing is off)'}; `
          + 'proxies would drop every span. Point the provider at a served port, or deploy its backend.');
      }
    }
    return errors;
  }
}

/** The delivery matching the control plane's: Helm-based ones carry over, the others become rendered. */
function followDelivery(cp: IstioControlPlane): ObservabilityDelivery {
  const d = cp.delivery;
  switch (d.kind) {
    case DeliveryKind.ARGO_CD: {
      const { namespace, project, destinationServer, automatedSync } = d.argoCdOptions;
      return ObservabilityDelivery.argoCd({ namespace, project, destinationServer, automatedSync });
    }
    case DeliveryKind.FLUX: return ObservabilityDelivery.flux({ namespace: d.fluxOptions.namespace, interval: d.fluxOptions.interval });
    default: return ObservabilityDelivery.rendered();
  }
}

/**
 * Where each UI is served from outside: the host of a VirtualService bound to a
 * gateway that routes to the UI's Service (`https` when a Gateway serves that host over HTTPS).
 */
function externalUrls(root: IConstruct, uis: UserInterface[]): { [ui: string]: string } {
  const objects = root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.apiVersion === 'networking.istio.io/v1');
  const json = objects.filter(o => o.kind === 'VirtualService' || o.kind === 'Gateway').map(o => o.toJson());
  const httpsHosts = new Set(json.filter(o => o.kind === 'Gateway')
    .flatMap(g => (g.spec?.servers ?? []).filter((s: any) => s.port?.protocol === 'HTTPS').flatMap((s: any) => s.hosts ?? [])));
  const out: { [ui: string]: string } = {};
  for (const ui of uis) {
    for (const vs of json.filter(o => o.kind === 'VirtualService')) {
      const gateways: string[] = vs.spec?.gateways ?? [];
      const host: string | undefined = vs.spec?.hosts?.[0];
      if (!host || host.includes('*') || !gateways.some(g => g !== 'mesh')) continue;
      const ns = vs.metadata?.namespace ?? 'default';
      const routes = (vs.spec?.http ?? []).flatMap((r: any) => r.route ?? []);
      if (routes.some((r: any) => fqdn(r.destination?.host ?? '', ns) === ui.serviceHost)) {
        out[ui.name] = `${httpsHosts.has(host) ? 'https' : 'http'}://${host}`;
        break;
      }
    }
  }
  return out;
}

/** `name` (in `ns`), `name.ns`, `name.ns.svc` → `name.ns.svc.cluster.local`. */
function fqdn(host: string, ns?: string): string {
  const parts = host.split('.');
  if (parts.length === 1 && ns) return `${host}.${ns}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** `host:port` of every Service port in the app. */
function appServices(root: IConstruct): Set<string> {
  const out = new Set<string>();
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind !== 'Service' || c.apiVersion !== 'v1') continue;
    const json = c.toJson();
    const host = `${json.metadata?.name}.${json.metadata?.namespace ?? 'default'}.svc.cluster.local`;
    for (const p of json.spec?.ports ?? []) out.add(`${host}:${p.port}`);
  }
  return out;
}
