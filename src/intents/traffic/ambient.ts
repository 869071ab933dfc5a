import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DataPlane, DataPlaneMode } from '../../core/data-plane';
import { fail, show } from '../../core/errors';
import { namespaceOf, PodTemplate, podTemplateOf, serviceSelectorOf, WORKLOAD_KINDS } from '../../core/kube-objects';
import { labelledWaypoint, selects, WAYPOINT_LABEL, WAYPOINT_NAMESPACE_LABEL, WaypointName } from '../../core/labels';
import { passMemo } from '../../core/synth-checks';
import { WorkloadSelector } from '../../core/workload-selector';
import { AuthorizationAction, AuthorizationPolicy } from '../../resources/authorization-policy';

/** A Service's labels that choose its waypoint, for another Service of the same pods to use it too. */
export function waypointLabels(service: ApiObject): { [key: string]: string } {
  const keys = [WAYPOINT_LABEL, WAYPOINT_NAMESPACE_LABEL, 'istio.io/ingress-use-waypoint'];
  return Object.fromEntries(keys.map(k => [k, service.metadata.getLabel(k)]).filter(([, v]) => v !== undefined));
}

/**
 * The waypoint a Service uses, read as istiod reads it: the Service's own `istio.io/use-waypoint`
 * label, else its namespace's (when the app holds the Namespace object); `none` opts out.
 */
export function waypointOf(service: ApiObject): WaypointName | undefined {
  const namespace = namespaceOf(service);
  const read = (obj: ApiObject) => labelledWaypoint(obj.metadata.toJson().labels ?? {}, namespace);
  const own = read(service);
  if (own !== undefined) return own ?? undefined;
  const ns = DataPlane._namespaceObject(service, namespace);
  return (ns && read(ns)) ?? undefined;
}

/** What an intent's pods look like to a waypoint: their Services, and whether they run Envoy themselves. */
export interface PodsInfo {
  /** The app's Services in the namespace that send to any of the pods. */
  readonly services: ApiObject[];
  /** Those of them that also send to pods the selector does not select. */
  readonly wider: ApiObject[];
  /** The pods are the app's and all run an Envoy of their own (a gateway, or a pod enrolled with a sidecar). */
  readonly runEnvoy: boolean;
}

/**
 * The Services of this app in `namespace` that send to the pods `labels` selects (a version
 * Service, `reviews-v2`, sends to some of `app: reviews`), read from the app's workloads there;
 * pods outside the app are known only by `labels`, and a Service then sends to them when its
 * selector is within `labels`.
 */
export function podsInfo(scope: IConstruct, namespace: string, labels: { [key: string]: string }): PodsInfo {
  // While cdk8s validates or synthesizes, the app is read once per pass; before, only the namespace asked about.
  const index = passMemo(scope, 'objectsByNamespace', () => objectsByNamespace(scope), () => objectsByNamespace(scope, namespace));
  const { pods, services: all } = index.get(namespace) ?? { pods: [], services: [] };
  const selected = pods.filter(p => selects(labels, p.labels));
  const services: ApiObject[] = [];
  const wider: ApiObject[] = [];
  for (const { service, selector } of all) {
    const sends = pods.filter(p => selects(selector, p.labels));
    const reaches = selected.length ? selected.some(p => selects(selector, p.labels)) : selects(selector, labels);
    if (!reaches) continue;
    services.push(service);
    if (sends.length ? sends.some(p => !selects(labels, p.labels)) : !selects(labels, selector)) wider.push(service);
  }
  const envoy = (p: PodTemplate) => p.annotations['inject.istio.io/templates'] === 'gateway' || p.labels['sidecar.istio.io/inject'] === 'true';
  return { services, wider, runEnvoy: selected.length > 0 && selected.every(envoy) };
}

/** A namespace's workloads (their pod templates) and Services with a selector. */
interface NamespaceObjects {
  readonly pods: PodTemplate[];
  readonly services: Array<{ service: ApiObject; selector: { [key: string]: string } }>;
}

/** The app's workloads and Services with a selector, by namespace (or in `only`). */
function objectsByNamespace(scope: IConstruct, only?: string): Map<string, NamespaceObjects> {
  const out = new Map<string, NamespaceObjects>();
  const of = (ns: string) => out.get(ns) ?? out.set(ns, { pods: [], services: [] }).get(ns)!;
  for (const o of scope.node.root.node.findAll()) {
    if (!(o instanceof ApiObject) || (only !== undefined && namespaceOf(o) !== only)) continue;
    // A cdk8s-plus workload is read through its own getters (its object may not render yet).
    if (WORKLOAD_KINDS.includes(o.kind)) of(namespaceOf(o)).pods.push(podTemplateOf(userConstruct(o), o));
    if (o.kind !== 'Service') continue;
    const selector = serviceSelectorOf(o);
    if (Object.keys(selector).length) of(namespaceOf(o)).services.push({ service: o, selector });
  }
  return out;
}

/** The Services of this app in `namespace` that send to the pods `labels` selects. */
export function servicesOfPods(scope: IConstruct, namespace: string, labels: { [key: string]: string }): ApiObject[] {
  return podsInfo(scope, namespace, labels).services;
}

/**
 * A DENY on ztunnel, for the pods `labels` selects (on `ports`, else every port), of every caller
 * but their waypoints (`principals`): traffic that skips the waypoint (a pod IP dialled, a waypoint
 * not yet ready, a Service without one) would skip the HTTP policy it applies. A DENY, not the ALLOW
 * Istio's docs show, so no ALLOW of another construct can reopen the bypass.
 */
export function requireWaypoint(owner: IConstruct, id: string, name: string, namespace: string, labels: { [key: string]: string },
  principals: string[], ports?: number[]): AuthorizationPolicy {
  // One guard per pods, waypoints and ports: a second intent on the same pods reuses the first's.
  const root = owner.node.root as any;
  if (!root[GUARDS]) Object.defineProperty(root, GUARDS, { value: new Map<string, AuthorizationPolicy>() });
  const key = JSON.stringify([namespace, Object.entries(labels).sort(), [...principals].sort(), [...ports ?? []].sort()]);
  const existing: AuthorizationPolicy | undefined = root[GUARDS].get(key);
  if (existing) return existing;
  const guard = new AuthorizationPolicy(owner, id, {
    metadata: { name: `${name}-require-waypoint`.slice(0, 253), namespace },
    selector: WorkloadSelector.fromLabels(labels),
    action: AuthorizationAction.DENY,
    rules: [{ sources: [{ notPrincipals: principals }], operations: ports?.length ? [{ ports }] : undefined }],
  });
  root[GUARDS].set(key, guard);
  return guard;
}

const GUARDS = Symbol.for('cdk8s-istio.requireWaypoint.guards');

/**
 * The Service ports of `services` that send to the container `ports`: what a policy at their
 * waypoint matches (a waypoint sees the Service port the caller dialled; ztunnel and sidecars the pod's).
 */
export function servicePortsTo(owner: IConstruct, prop: string, services: ApiObject[], ports: number[]): number[] {
  const mapped = services.flatMap(s => (s.toJson().spec?.ports ?? []) as any[])
    .filter(p => ports.includes(p.targetPort ?? p.port)).map(p => p.port as number);
  if (!mapped.length) {
    fail(owner, `${prop} ${show(ports)} are the target port of no port of the Services the waypoint serves (${services.map(s => s.name).join(', ')}); `
      + 'a waypoint matches the Service port, so the rule would apply nowhere. Name the container ports the Services send to.');
  }
  return [...new Set(mapped)].sort((a, b) => a - b);
}

/** The construct a user made an object with: a cdk8s-plus resource (whose default child it is), else the object itself. */
function userConstruct(obj: ApiObject): IConstruct {
  return obj.node.scope?.node.defaultChild === obj ? obj.node.scope : obj;
}

/** Where the user made an object, for messages. */
export function userPath(obj: ApiObject): string {
  return userConstruct(obj).node.path;
}

/**
 * Whether `owner`'s HTTP policy for the pods `selector` selects in `namespace` is applied by a
 * waypoint: the namespace is ambient and the pods do not run an Envoy of their own (a gateway's
 * pods, or pods enrolled with a sidecar, apply selector policies themselves).
 */
export function rendersAtWaypoint(owner: IConstruct, namespace: string, selector: WorkloadSelector): boolean {
  if (DataPlane._renderFor(owner, namespace) !== DataPlaneMode.AMBIENT) return false;
  return !podsInfo(owner, namespace, selector.labels).runEnvoy;
}
