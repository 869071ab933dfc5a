import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { emitArgoCdApplications } from './argo-cd-applications';
import { ContainerResources } from './container-resources';
import { ControlPlaneDelivery, DeliveryKind } from './control-plane-delivery';
import { ChartRelease, ChartTarget } from './control-plane-model';
import { enrolNamespace, enrolWorkload } from './enrolment';
import { emitFluxHelmReleases } from './flux-helm-releases';
import { gatewayApiCrdObjects, gatewayApiCrdsApplication, gatewayApiCrdsKustomization } from './gateway-api-crds';
import { GatewayWorkload } from './gateway-workload';
import { istioOperatorObject, istioOperatorSpec } from './istio-operator';
import { IstioProfile } from './istio-profile';
import { ExtensionProvider, MeshConfigOptions } from './mesh-config';
import { NamespaceEnrolmentOptions, ProxySettings, WorkloadEnrolmentOptions } from './proxy-enrolment';
import { emitRenderedManifests } from './rendered-manifests';
import { renderResources } from './rendering/container-resources';
import { renderMeshConfig } from './rendering/mesh-config';
import { RevisionTag } from './revision-tag';
import { checkArguments, checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { IstioVersion } from '../core/istio-version';
import { checkDns1123Label } from '../core/names';
import { TrafficApi } from '../core/traffic-api';

/** Autoscaling of istiod. */
export interface IstiodAutoscaling {
  /** Minimum replicas (at least 1). */
  readonly minReplicas: number;
  /** Maximum replicas. */
  readonly maxReplicas: number;
  /** Target CPU utilization. @default 80 */
  readonly targetCpuUtilizationPercent?: number;
}

/** Sizing of istiod. */
export interface IstiodOptions {
  /** Fixed replica count (turns the HorizontalPodAutoscaler off). @default - autoscaling 1–5 (Istio's default) */
  readonly replicas?: number;
  /** Autoscaling bounds. @default - Istio's default (1–5 at 80% CPU) */
  readonly autoscaling?: IstiodAutoscaling;
  /** Resources of the istiod container. @default - 500m CPU / 2Gi memory requests */
  readonly resources?: ContainerResources;
  /** Emit a PodDisruptionBudget (minAvailable 1) for istiod. @default true (Istio's default) */
  readonly podDisruptionBudget?: boolean;
  /**
   * Address ranges istiod refuses to fetch JWKS from (`BLOCKED_CIDRS_IN_JWKS_URIS`), e.g. the
   * cluster's pod and service ranges and `169.254.169.254/32`: a RequestAuthentication's
   * `jwksUri` otherwise makes istiod fetch from any address it can reach (IST0175).
   * @default - none (the analyzer warns when the app has RequestAuthentications)
   */
  readonly blockedJwksCidrs?: string[];
}

/** Props of an `IstioControlPlane`. */
export interface IstioControlPlaneProps {
  /** Istio version (chart version and image tag): a 1.30 or 1.31 release. @default '1.31.4' */
  readonly version?: string;
  /** Revision name, e.g. `1-31-4`; names every istiod object and lets two control planes run side by side. @default - the default revision */
  readonly revision?: string;
  /** Installation profile. @default IstioProfile.DEFAULT */
  readonly profile?: IstioProfile;
  /** Namespace of the control plane. @default 'istio-system' */
  readonly namespace?: string;
  /** Image registry. @default 'registry.istio.io/release' */
  readonly hub?: string;
  /** Image tag; a release tag (e.g. `1.31.4-distroless`) must be of the version's minor release. @default - the version */
  readonly tag?: string;
  /** istiod replicas, autoscaling, resources and PDB. @default - Istio's defaults */
  readonly istiod?: IstiodOptions;
  /** Mesh-wide settings. @default - Istio's defaults */
  readonly meshConfig?: MeshConfigOptions;
  /** Mesh-wide sidecar defaults (sidecar mode only). @default - Istio's defaults */
  readonly proxy?: ProxySettings;
  /** How the control plane reaches the cluster. @default ControlPlaneDelivery.argoCd() */
  readonly delivery?: ControlPlaneDelivery;
  /**
   * Install the `base` chart (CRDs, default validator). Exactly one control plane
   * per namespace manages it; during a canary upgrade, the new one. @default true
   */
  readonly manageBase?: boolean;
  /**
   * Install the Gateway API CRDs the app targets (the version and channel of its
   * `TrafficApi.gatewayApi()`, else 1.5.1 standard), before Istio's base chart: an Argo CD
   * Application (wave -40), a Flux GitRepository + Kustomization, or the CRD objects
   * themselves with the IstioOperator and rendered deliveries.
   * @default false
   */
  readonly installGatewayApiCrds?: boolean;
}

const MARKER = Symbol.for('cdk8s-istio.IstioControlPlane');

// istiod patches caBundle into its webhooks and flips the validator's failurePolicy
// from Ignore to Fail once ready; Argo CD renders as a fresh install, so both drift.
const WEBHOOK_DRIFT = [
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle', '.webhooks[]?.failurePolicy'],
  },
];

/**
 * Installs Istio's control plane (istiod), its CRDs and, in ambient mode, istio-cni
 * and ztunnel, delivered as Argo CD Applications, Flux HelmReleases, an
 * IstioOperator or rendered manifests; and enrols namespaces and workloads.
 * Gateways are separate native constructs (`IngressGateway`, `EgressGateway`).
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 *
 * @example
 * declare const chart: Chart;
 *
 * const istio = new IstioControlPlane(chart, 'istio', {
 *   revision: '1-31',
 *   istiod: { replicas: 2 },
 *   meshConfig: { accessLogFile: '/dev/stdout' },
 *   delivery: ControlPlaneDelivery.argoCd(),
 * });
 * istio.enrolNamespaceNamed('shop');
 */
export class IstioControlPlane extends Construct {
  /** Whether `x` is an IstioControlPlane (works across copies of the library). */
  public static isIstioControlPlane(x: any): x is IstioControlPlane {
    checkArguments(undefined, 'IstioControlPlane', 'isIstioControlPlane', arguments);
    return x !== null && typeof x === 'object' && MARKER in x;
  }

  /** Names of the extension providers its mesh config declares (CUSTOM authorization, tracing, access logs). */
  public readonly extensionProviderNames: string[];
  /** The ranges istiod refuses to fetch JWKS from (read by the mesh analysis, IST0175). */
  public readonly blockedJwksCidrs: string[];
  /** Istio version. */
  public readonly version: string;
  /** Revision, if any. */
  public readonly revision?: string;
  /** Profile. */
  public readonly profile: IstioProfile;
  /** Control-plane namespace. */
  public readonly namespace: string;
  /** Image registry. */
  public readonly hub: string;
  /** Image tag. */
  public readonly tag: string;
  /** Whether the data plane is ambient (ztunnel) rather than sidecars. */
  public readonly ambient: boolean;
  /** The delivery. */
  public readonly delivery: ControlPlaneDelivery;
  /** Whether this control plane installs the `base` chart. */
  public readonly manageBase: boolean;
  private readonly sharedValues: () => any;
  private renderedTags?: string[];
  private readonly addedProviders: ExtensionProvider[] = [];
  private gatewayApiCrds?: TrafficApi;
  /** @internal */
  public readonly _meshConfig: MeshConfigOptions;

  constructor(scope: Construct, id: string, props: IstioControlPlaneProps = {}) {
    super(scope, id);
    checkProps(this, 'IstioControlPlane', props);
    reportChildErrorsAsOwn(this);
    Object.defineProperty(this, MARKER, { value: true });
    this.version = props.version ?? IstioVersion.DEFAULT;
    const versionProblem = IstioVersion._problem(this.version);
    if (versionProblem) fail(this, versionProblem);
    this.profile = props.profile ?? IstioProfile.DEFAULT;
    this.extensionProviderNames = (props.meshConfig?.extensionProviders ?? []).map(p => p.name);
    this.blockedJwksCidrs = [...props.istiod?.blockedJwksCidrs ?? []];
    this.blockedJwksCidrs.forEach((c, i) => {
      if (!isCidr(c)) fail(this, `istiod.blockedJwksCidrs[${i}] is ${show(c)}, not a CIDR such as '10.0.0.0/8' or 'fd00::/8'.`);
    });
    this._meshConfig = props.meshConfig ?? {};
    if (props.revision !== undefined) {
      checkDns1123Label(this, 'revision', props.revision);
      if (props.revision === 'default') fail(this, 'revision \'default\' is reserved for the unrevisioned control plane; leave revision unset, or name it after the version, e.g. \'1-31-4\'.');
    }
    this.revision = props.revision;
    this.namespace = checkDns1123Label(this, 'namespace', props.namespace ?? 'istio-system');
    this.hub = props.hub ?? 'registry.istio.io/release';
    this.tag = props.tag ?? this.version;
    // The tag is what runs: a release tag of another minor would make the app target the wrong istiod.
    const tagRelease = /^(\d+\.\d+)\.\d+/.exec(this.tag);
    if (tagRelease && tagRelease[1] !== IstioVersion._minor(this.version)) {
      fail(this, `tag ${show(this.tag)} runs Istio ${tagRelease[1]}, but version is ${show(this.version)}: the config would be checked for the wrong istiod. `
        + 'Set version to the release the tag runs (the charts and the tag must match), or leave tag unset.');
    }
    this.ambient = this.profile === IstioProfile.AMBIENT;
    this.delivery = props.delivery ?? ControlPlaneDelivery.argoCd();
    this.manageBase = props.manageBase ?? true;
    if (this.ambient && props.proxy) {
      fail(this, 'proxy sets sidecar settings, but profile AMBIENT runs no sidecars (ztunnel carries the traffic); remove proxy or use a sidecar profile.');
    }
    this.sharedValues = this.buildValues(props);

    if (props.installGatewayApiCrds) {
      // Decided now (objects are made now); checkApp fails if the app later targets other CRDs.
      this.gatewayApiCrds = TrafficApi._ofApp(this.node.root);
      switch (this.delivery.kind) {
        case DeliveryKind.ARGO_CD: gatewayApiCrdsApplication(this, this.gatewayApiCrds, this.delivery.argoCdOptions); break;
        case DeliveryKind.FLUX: gatewayApiCrdsKustomization(this, this.gatewayApiCrds, this.delivery.fluxOptions); break;
        default: gatewayApiCrdObjects(this, this.gatewayApiCrds);
      }
    }
    switch (this.delivery.kind) {
      case DeliveryKind.ARGO_CD: emitArgoCdApplications(this.chartTarget(), this._releases(), this.delivery.argoCdOptions); break;
      case DeliveryKind.FLUX: emitFluxHelmReleases(this.chartTarget(), this._releases(), this.delivery.fluxOptions); break;
      case DeliveryKind.ISTIO_OPERATOR: istioOperatorObject(this, 'IstioOperator', () => this._istioOperatorSpec()); break;
      case DeliveryKind.RENDERED:
        this.renderedTags = this.revisionTags;
        emitRenderedManifests(this, this._istioOperatorSpec(), this.delivery.renderedOptions);
        break;
    }
    // ApiObject.of(controlPlane): the object that installs istiod (its Application, HelmRelease or IstioOperator).
    this.node.defaultChild = this.node.children.find(o => /^(Application|HelmRelease)-istiod|^IstioOperator$|^Deployment-.*-istiod/.test(o.node.id));
    this.node.addValidation({ validate: () => this.checkApp() });
    IstioVersion._register(this, this.version, `IstioControlPlane '${this.node.path}'`);
  }

  /**
   * Every object this control plane renders, in order: Argo CD Applications, Flux
   * HelmRepository and HelmReleases, the IstioOperator, or the rendered manifests;
   * and namespaces it created (`enrolNamespaceNamed`).
   * Each is an `ApiObject` (escape hatch: `metadata`, `addJsonPatch`).
   */
  public get apiObjects(): ApiObject[] {
    return this.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  }

  /** The revision tags in the app that point to this control plane's revision. */
  public get revisionTags(): string[] {
    if (!this.revision) return [];
    return findAll(this.node.root, (c): c is RevisionTag => c instanceof RevisionTag)
      .filter(t => t.revision === this.revision).map(t => t.tag).sort();
  }

  /**
   * Enrols a namespace in the mesh with exactly one label: `istio-injection=enabled`
   * (default revision), `istio.io/rev=<revision or tag>`, or
   * `istio.io/dataplane-mode=ambient`.
   */
  public enrolNamespace(namespace: IConstruct, options: NamespaceEnrolmentOptions = {}): void {
    checkArguments(this, 'IstioControlPlane', 'enrolNamespace', arguments);
    enrolNamespace(this, namespace, options);
  }

  /** Emits a Namespace called `name` and enrols it; returns the Namespace object. */
  public enrolNamespaceNamed(name: string, options: NamespaceEnrolmentOptions = {}): ApiObject {
    checkArguments(this, 'IstioControlPlane', 'enrolNamespaceNamed', arguments);
    checkDns1123Label(this, 'name', name);
    const ns = new ApiObject(this, `Namespace-${name}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    this.enrolNamespace(ns, options);
    return ns;
  }

  /**
   * Enrols one workload (pod labels), optionally with per-pod proxy settings (sidecar
   * mode). The workload is a Deployment, StatefulSet, … of any cdk8s-plus version or an
   * ApiObject of those kinds whose pod template already has labels (a selector needs them).
   */
  public enrolWorkload(workload: IConstruct, options: WorkloadEnrolmentOptions = {}): void {
    checkArguments(this, 'IstioControlPlane', 'enrolWorkload', arguments);
    enrolWorkload(this, workload, options);
  }

  /**
   * Declares one more extension provider in the mesh config (what `MeshObservability`
   * does for its tracing backend). Not possible with the rendered delivery, which ran
   * istioctl when the control plane was created: pass it in `meshConfig.extensionProviders` there.
   */
  public addExtensionProvider(provider: ExtensionProvider): void {
    checkArguments(this, 'IstioControlPlane', 'addExtensionProvider', arguments);
    if (this.delivery.kind === DeliveryKind.RENDERED) {
      fail(this, `cannot add extension provider ${show(provider.name)}: the rendered delivery ran 'istioctl manifest generate' when the control plane was created. `
        + 'Pass it in meshConfig.extensionProviders instead.');
    }
    if (this.extensionProviderNames.includes(provider.name)) {
      fail(this, `meshConfig already declares an extension provider named ${show(provider.name)}; names must be unique.`);
    }
    provider._render(this, `extensionProviders[${this.extensionProviderNames.length}]`);
    this.addedProviders.push(provider);
    this.extensionProviderNames.push(provider.name);
  }

  /** The extension providers of the mesh config: declared ones and added ones. @internal */
  public get _extensionProviders(): ExtensionProvider[] {
    return [...this._meshConfig.extensionProviders ?? [], ...this.addedProviders];
  }

  /** The Helm releases this control plane installs, in order. @internal */
  public _releases(): ChartRelease[] {
    const releases: ChartRelease[] = [];
    // istio-cni reads hub and tag from Istio's global block, not istioNamespace; ztunnel reads them all.
    // Both need the revision: ztunnel connects to istiod-<revision> (istiod.<ns> does not exist then).
    const cniValues = () => prune({ profile: 'ambient', revision: this.revision, global: { hub: this.hub, tag: this.tag } });
    const ztunnelValues = () => prune({ profile: 'ambient', revision: this.revision, global: { hub: this.hub, tag: this.tag, istioNamespace: this.namespace } });
    if (this.manageBase) {
      // The CRDs are large: server-side apply avoids the last-applied annotation's size limit.
      releases.push({ chart: 'base', releaseName: 'istio-base', wave: -30, values: () => this._baseValues(), serverSideApply: true, ignoreDifferences: WEBHOOK_DRIFT });
    }
    releases.push({
      chart: 'istiod',
      releaseName: this.revision ? `istiod-${this.revision}` : 'istiod',
      wave: -20,
      dependsOn: this.manageBase ? 'istio-base' : undefined,
      values: () => this._istiodValues(),
      ignoreDifferences: WEBHOOK_DRIFT,
    });
    if (this.ambient) {
      releases.push({ chart: 'cni', releaseName: 'istio-cni', wave: -10, dependsOn: releases[releases.length - 1].releaseName, values: cniValues });
      releases.push({ chart: 'ztunnel', releaseName: 'ztunnel', wave: -10, dependsOn: 'istio-cni', values: ztunnelValues });
    }
    return releases;
  }

  private chartTarget(): ChartTarget {
    return { scope: this, namespace: this.namespace, version: this.version };
  }

  /** Helm values of the `istiod` chart: the shared values plus the Helm profile. @internal */
  public _istiodValues(): any {
    // Helm has no 'default'/'minimal' profile files; those are istioctl-only names.
    const helmProfile = this.profile === IstioProfile.DEMO || this.profile === IstioProfile.AMBIENT ? this.profile : undefined;
    return { profile: helmProfile, ...this.sharedValues() };
  }

  /** Helm values of the `base` chart. @internal */
  public _baseValues(): any {
    // A 'default' tag renders its own default validator, so base must not render another.
    const hasDefaultTag = findAll(this.node.root, (c): c is RevisionTag => c instanceof RevisionTag).some(t => t.tag === 'default');
    return { defaultRevision: hasDefaultTag ? '' : (this.revision ?? 'default'), global: { istioNamespace: this.namespace } };
  }

  /** The IstioOperator spec: the same values as the Helm releases, gateways left to the native constructs. @internal */
  public _istioOperatorSpec(): any {
    return istioOperatorSpec(this, this.sharedValues());
  }

  private buildValues(props: IstioControlPlaneProps): () => any {
    const istiod = props.istiod ?? {};
    if (istiod.replicas !== undefined && (!Number.isInteger(istiod.replicas) || istiod.replicas < 1)) {
      fail(this, `istiod.replicas must be a whole number of at least 1, got ${show(istiod.replicas)}.`);
    }
    if (istiod.replicas !== undefined && istiod.autoscaling) fail(this, 'istiod.replicas and istiod.autoscaling exclude each other; fixed replicas turn the autoscaler off. Keep one.');
    const as = istiod.autoscaling;
    if (as && (!Number.isInteger(as.minReplicas) || as.minReplicas < 1 || as.maxReplicas < as.minReplicas)) {
      fail(this, `istiod.autoscaling must satisfy 1 <= minReplicas <= maxReplicas, got ${as.minReplicas}/${as.maxReplicas}.`);
    }
    const resources = renderResources(this, 'istiod.resources', istiod.resources);
    const proxyResources = renderResources(this, 'proxy.resources', props.proxy?.resources);
    const mesh = renderMeshConfig(this, this.version, props.meshConfig);
    if (props.proxy?.holdApplicationUntilProxyStarts !== undefined) {
      mesh.defaultConfig = { holdApplicationUntilProxyStarts: props.proxy.holdApplicationUntilProxyStarts };
    }
    if (props.proxy?.excludeInboundPorts || props.proxy?.excludeOutboundPorts) {
      fail(this, 'proxy.excludeInboundPorts/excludeOutboundPorts are per-workload settings; pass them to enrolWorkload() instead.');
    }
    const pilot = {
      replicaCount: istiod.replicas,
      autoscaleEnabled: istiod.replicas !== undefined ? false : as ? true : undefined,
      autoscaleMin: as?.minReplicas,
      autoscaleMax: as?.maxReplicas,
      cpu: as?.targetCpuUtilizationPercent !== undefined ? { targetAverageUtilization: as.targetCpuUtilizationPercent } : undefined,
      resources,
      traceSampling: props.meshConfig?.tracingSamplingPercent,
      env: this.blockedJwksCidrs.length ? { BLOCKED_CIDRS_IN_JWKS_URIS: this.blockedJwksCidrs.join(',') } : undefined,
    };
    return () => prune({
      revision: this.revision,
      revisionTags: this.revisionTags.length ? this.revisionTags : undefined,
      global: {
        hub: this.hub,
        tag: this.tag,
        istioNamespace: this.namespace,
        defaultPodDisruptionBudget: istiod.podDisruptionBudget === undefined ? undefined : { enabled: istiod.podDisruptionBudget },
        proxy: proxyResources && { resources: proxyResources },
      },
      pilot,
      meshConfig: this.addedProviders.length
        ? { ...mesh, extensionProviders: this._extensionProviders.map((p, i) => p._render(this, `meshConfig.extensionProviders[${i}]`)) }
        : mesh,
    });
  }

  /** App-wide checks, run once by the first control plane in the app. */
  private checkApp(): string[] {
    const errors: string[] = [];
    const targeted = this.gatewayApiCrds && TrafficApi._ofApp(this.node.root);
    if (targeted && targeted.describe() !== this.gatewayApiCrds!.describe()) {
      errors.push(`IstioControlPlane '${this.node.path}': installs the CRDs of ${this.gatewayApiCrds!.describe()}, but the app targets ${targeted.describe()}. `
        + 'Call TrafficApi.use(app, ...) before creating the control plane.');
    }
    if (this.renderedTags && this.renderedTags.join() !== this.revisionTags.join()) {
      errors.push(`IstioControlPlane '${this.node.path}': the rendered delivery ran istioctl when the control plane was created, before RevisionTag(s) `
        + `${this.revisionTags.filter(t => !this.renderedTags!.includes(t)).map(show).join(', ')} existed. Declare RevisionTags before the IstioControlPlane.`);
    }
    const planes = findAll(this.node.root, IstioControlPlane.isIstioControlPlane);
    if (planes[0] !== this) return errors;
    const installed = new Map<string, IstioControlPlane>();
    for (const cp of planes) {
      for (const r of cp._releases()) {
        // base (CRDs), cni and ztunnel are cluster-wide; istiod is per namespace and revision.
        const key = ['base', 'cni', 'ztunnel'].includes(r.chart) ? r.chart : `${cp.namespace}/${r.releaseName}`;
        const other = installed.get(key);
        if (other) {
          errors.push(`IstioControlPlane '${cp.node.path}': chart ${show(r.chart)} (release ${show(r.releaseName)}) is also installed by '${other.node.path}'. `
            + (r.chart === 'base' ? 'Set manageBase: false on one of them (keep it on the newer version).' : 'Give each control plane its own revision; ambient (cni, ztunnel) supports one control plane.'));
        }
        installed.set(key, cp);
      }
    }
    const revisions = new Set(planes.map(p => p.revision ?? 'default'));
    const tags = findAll(this.node.root, (c): c is RevisionTag => c instanceof RevisionTag);
    const seenTags = new Map<string, RevisionTag>();
    for (const t of tags) {
      if (!planes.some(p => p.revision === t.revision)) {
        const known = planes.filter(p => p.revision).map(p => show(p.revision)).join(', ') || 'none';
        errors.push(`RevisionTag '${t.node.path}': tag ${show(t.tag)} points to revision ${show(t.revision)}, which no IstioControlPlane in this app installs (revisions: ${known}). Point it at an installed revision.`);
      }
      if (seenTags.has(t.tag)) errors.push(`RevisionTag '${t.node.path}': tag ${show(t.tag)} is already defined at '${seenTags.get(t.tag)!.node.path}'; a tag points to one revision.`);
      if (revisions.has(t.tag) && t.tag !== 'default') errors.push(`RevisionTag '${t.node.path}': tag ${show(t.tag)} has the name of a revision; pick a distinct name such as 'prod-stable'.`);
      seenTags.set(t.tag, t);
    }
    errors.push(...checkGatewayInjection(this.node.root, planes, tags));
    return errors;
  }
}

/** Gateways get their proxy from injection: each must be reachable by some injector in the app. */
function checkGatewayInjection(root: IConstruct, planes: IstioControlPlane[], tags: RevisionTag[]): string[] {
  const errors: string[] = [];
  const injectors = new Set<string>([...planes.filter(p => p.revision).map(p => p.revision!), ...tags.map(t => t.tag)]);
  const defaultInjector = planes.some(p => !p.revision) || tags.some(t => t.tag === 'default');
  const disabledNamespaces = new Set(findAll(root, (c): c is ApiObject => c instanceof ApiObject && c.kind === 'Namespace')
    .filter(ns => ns.metadata.getLabel('istio-injection') === 'disabled').map(ns => ns.name));
  for (const gw of findAll(root, (c): c is GatewayWorkload => c instanceof GatewayWorkload)) {
    const ns = gw.namespace ?? Chart.of(gw).namespace ?? 'default';
    const where = `${gw.constructor.name} '${gw.node.path}'`;
    if (disabledNamespaces.has(ns)) {
      errors.push(`${where}: namespace ${show(ns)} is labelled istio-injection=disabled, so the gateway pod never gets its proxy (image 'auto' cannot be pulled). Run the gateway in another namespace or drop the label.`);
    } else if (gw.revision && !injectors.has(gw.revision)) {
      errors.push(`${where}: revision ${show(gw.revision)} is not installed by any IstioControlPlane or RevisionTag in this app (known: ${[...injectors].map(show).join(', ') || 'none'}), so the gateway is never injected. Set revision to one of them.`);
    } else if (!gw.revision && !defaultInjector) {
      errors.push(`${where}: the gateway has no revision and no control plane in this app serves the default revision, so namespace ${show(ns)} never injects it. Set revision (e.g. ${show([...injectors][0] ?? '1-31-4')}) or add a RevisionTag 'default'.`);
    }
  }
  return errors;
}

/** Every construct under `root` matching `test`, in tree order. */
function findAll<T extends IConstruct>(root: IConstruct, test: (c: IConstruct) => c is T): T[] {
  return root.node.findAll().filter(test);
}

/** Drops undefined values and empty objects, so values only carry what the user set. @internal */
function prune(value: any): any {
  if (Array.isArray(value)) return value.map(prune);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const [k, v] of Object.entries(value)) {
    const p = prune(v);
    if (p === undefined) continue;
    if (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return Object.keys(out).length ? out : undefined;
}

/** An IPv4 or IPv6 range in CIDR notation, as Go's netip.ParsePrefix accepts it (roughly). */
function isCidr(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return ip.split('.').every(o => Number(o) <= 255) && Number(bits) <= 32;
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && Number(bits) <= 128;
}
