import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DataPlane } from '../../core/data-plane';
import { fail, show } from '../../core/errors';
import { namespaceOf, podTemplateOf, serviceSelectorOf, WORKLOAD_KINDS } from '../../core/kube-objects';
import { WorkloadSelector } from '../../core/workload-selector';
import { AuthorizationAction, AuthorizationPolicy } from '../../resources/authorization-policy';

/** The label that makes a Service (or a namespace's Services) use a waypoint. */
export const WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** The namespace of that waypoint, when it is not the object's own. */
export const WAYPOINT_NAMESPACE_LABEL = 'istio.io/use-waypoint-namespace';

/** A Service's labels that choose its waypoint, for another Service of the same pods to use it too. */
export function waypointLabels(service: ApiObject): { [key: string]: string } {
  const keys = [WAYPOINT_LABEL, WAYPOINT_NAMESPACE_LABEL, 'istio.io/ingress-use-waypoint'];
  return Object.fromEntries(keys.map(k => [k, service.metadata.getLabel(k)]).filter(([, v]) => v !== undefined));
}

/** A waypoint by name, as a label names it. */
export interface WaypointName {
  readonly name: string;
  readonly namespace: string;
}

/**
 * The waypoint a Service uses, read as istiod reads it: the Service's own `istio.io/use-waypoint`
 * label, else its namespace's (when the app holds the Namespace object); `none` opts out.
 */
export function waypointOf(service: ApiObject): WaypointName | undefined {
  const namespace = namespaceOf(service);
  const read = (obj: ApiObject) => {
    const name = obj.metadata.getLabel(WAYPOINT_LABEL);
    if (name === undefined) return undefined;
    return name === 'none' ? null : { name, namespace: obj.metadata.getLabel(WAYPOINT_NAMESPACE_LABEL) ?? namespace };
  };
  const own = read(service);
  if (own !== undefined) return own ?? undefined;
  const ns = DataPlane._namespaceObject(service, namespace);
  return (ns && read(ns)) ?? undefined;
}

/**
 * The Services of this app in `namespace` that send to the pods `labels` selects: those whose
 * selector the pods' labels satisfy. The pods are the app's workloads there that `labels` selects
 * (a version Service, `reviews-v2`, selects some of `app: reviews`); pods outside the app are
 * known only by `labels`.
 */
export function servicesOfPods(scope: IConstruct, namespace: string, labels: { [key: string]: string }): ApiObject[] {
  const all = scope.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const within = (small: { [key: string]: string }, big: { [key: string]: string }) => Object.entries(small).every(([k, v]) => big[k] === v);
  const pods = all.filter(o => WORKLOAD_KINDS.includes(o.kind) && namespaceOf(o) === namespace)
    // A cdk8s-plus workload is read through its own getters (its object may not render yet).
    .map(o => podTemplateOf(o.node.scope?.node.defaultChild === o ? o.node.scope! : o, o).labels)
    .filter(p => within(labels, p));
  const podSets = pods.length ? pods : [labels];
  return all.filter(o => o.kind === 'Service' && namespaceOf(o) === namespace).filter(s => {
    const selector = serviceSelectorOf(s);
    return Object.keys(selector).length > 0 && podSets.some(p => within(selector, p));
  });
}

const GUARDS = Symbol.for('cdk8s-istio.requireWaypoint.guards');

/**
 * A DENY on ztunnel for the pods of `service`, on its target ports, of every caller but the
 * waypoint (`principal`): traffic that skips the waypoint (a pod IP dialled, a waypoint not yet
 * ready, another Service of the same pods) would skip the HTTP policy the waypoint applies. A DENY,
 * not the ALLOW Istio's docs show, so no ALLOW of another construct can reopen the bypass.
 * One per Service and waypoint; created beside the Service.
 */
export function requireWaypoint(service: ApiObject, principal: string): AuthorizationPolicy {
  const root = service.node.root as any;
  if (!root[GUARDS]) Object.defineProperty(root, GUARDS, { value: new Map<ApiObject, AuthorizationPolicy>() });
  const guards: Map<ApiObject, AuthorizationPolicy> = root[GUARDS];
  const existing = guards.get(service);
  if (existing) return existing;
  const spec = service.toJson().spec ?? {};
  // Numeric target ports only: a named one is resolved per pod, so the guard then covers every port.
  const targets: Array<number | string> = (spec.ports ?? []).map((p: any) => p.targetPort ?? p.port);
  const ports = targets.every(t => typeof t === 'number') ? [...new Set(targets as number[])] : undefined;
  const guard = new AuthorizationPolicy(Chart.of(service), `RequireWaypoint-${namespaceOf(service)}-${service.name}`, {
    metadata: { name: `${service.name}-require-waypoint`.slice(0, 253), namespace: namespaceOf(service) },
    selector: WorkloadSelector.fromLabels(serviceSelectorOf(service)),
    action: AuthorizationAction.DENY,
    rules: [{ sources: [{ notPrincipals: [principal] }], operations: ports?.length ? [{ ports }] : undefined }],
  });
  guards.set(service, guard);
  return guard;
}

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

/** The construct a user made an object with: a cdk8s-plus resource, else the object itself. */
export function userPath(obj: ApiObject): string {
  return (obj.node.scope?.node.defaultChild === obj ? obj.node.scope : obj).node.path;
}
