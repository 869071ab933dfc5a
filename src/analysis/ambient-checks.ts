import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report, resolveHost } from './mesh-index';
import { labelledWaypoint, selects, WAYPOINT_LABEL, WaypointName } from '../core/labels';

const { ERROR, WARNING } = FindingSeverity;


/**
 * Ambient mode, from config alone (the namespaces enrolled in the app's Namespace objects or
 * declared with `DataPlane.declare`). Kiali's ambient checks, made sharper where config decides:
 * - CDK8SISTIO010 (KIA0110, KIA1115): an AuthorizationPolicy for ztunnel (no targetRefs) in an
 *   ambient namespace with attributes ztunnel cannot see, or action CUSTOM or AUDIT, or such a
 *   RequestAuthentication: ztunnel drops the ALLOW rules that use them and enforces a DENY without
 *   them, and checks no token (pods running Envoy themselves, gateways, are not judged);
 * - KIA1117 (warning): a Telemetry with HTTP telemetry selecting pods of an ambient namespace;
 * - CDK8SISTIO019 (KIA0109, KIA1110, KIA1112): a policy attached by targetRefs to a Service that
 *   uses no waypoint: only waypoints apply Service-attached policies, so it applies nowhere;
 * - CDK8SISTIO020: a Service or namespace that uses a waypoint this app defines as something
 *   else: not of class istio-waypoint, not for Service traffic, or in another namespace whose
 *   HBONE listener does not admit it (Istio refuses the binding);
 * - CDK8SISTIO021 (warning, KIA1313 from config): a waypoint named by a label that the app does not define;
 * - KIA1312 (warning): use-waypoint in a namespace that is not ambient;
 * - CDK8SISTIO022 (KIA1109, KIA1113): a mesh route (HTTPRoute with a Service parent, or a mesh
 *   VirtualService) for a Service of an ambient namespace that uses no waypoint: ztunnel clients
 *   never apply it ("route will not be respected");
 * - KIA1114 / KIA0212 (warning): a mesh VirtualService or DestinationRule for an ambient Service
 *   in another namespace than the Service's (a waypoint reads it only from the Service's);
 * - IST0167 (warning): a Sidecar in an ambient namespace (no sidecar reads it).
 * @internal
 */
export function checkAmbient(index: MeshIndex, report: Report, declaredAmbient: Set<string>, declaredSidecar: Set<string>): void {
  const labelled = new Map(index.of('Namespace').map(n => [n.json.metadata?.name as string, n.json.metadata?.labels ?? {}]));
  const enrolled = (inAmbient: boolean) => [...labelled]
    .filter(([, l]) => (l['istio.io/dataplane-mode'] === 'ambient') === inAmbient).map(([n]) => n);
  const ambient = new Set([...declaredAmbient, ...enrolled(true)]);
  const sidecar = new Set([...declaredSidecar, ...enrolled(false)]);
  // The Service's own label wins, 'none' included; else its namespace's.
  const waypointOf = (service: IndexedObject) => {
    const own = service.json.metadata?.labels ?? {};
    const from = own[WAYPOINT_LABEL] !== undefined ? own : labelled.get(service.namespace) ?? {};
    return usedWaypoint(from, service.namespace);
  };

  for (const ap of index.of('AuthorizationPolicy')) {
    const spec = ap.json.spec ?? {};
    const targeted = !!spec.targetRef || !!spec.targetRefs?.length;
    if (ambient.has(ap.namespace) && !targeted && !runsEnvoy(index, ap)) {
      const l7 = [...new Set((spec.rules ?? []).flatMap(httpAttributes))];
      if (spec.action === 'CUSTOM' || spec.action === 'AUDIT') {
        report(ap, 'CDK8SISTIO010', ERROR, `has action ${spec.action} and selects pods of namespace '${ap.namespace}', which is enrolled in ambient mode: ztunnel does not support ${spec.action}. `
          + 'Attach it to a waypoint with targetRefs (KIA0110).');
      } else if (l7.length) {
        const which = spec.selector ? 'selects pods' : 'applies to every pod';
        const effect = spec.action === 'DENY'
          ? 'enforces it without them, refusing connections they were meant to let through (or nothing at all for a DENY of HTTP attributes alone, istio/istio#61126)'
          : 'drops its rules that use them, so the callers those rules allow are refused';
        report(ap, 'CDK8SISTIO010', ERROR, `${which} of namespace '${ap.namespace}', which is enrolled in ambient mode, with attributes ztunnel cannot see (${l7.join(', ')}): ztunnel ${effect}. `
          + 'Attach it to a waypoint with targetRefs instead (KIA0110), or use DeniedRequests / JwtProtectedService / ZeroTrustNamespace.');
      }
    }
    checkServiceTargets(index, report, ap, waypointOf, 'AuthorizationPolicy');
  }
  for (const ra of index.of('RequestAuthentication')) {
    const spec = ra.json.spec ?? {};
    if (ambient.has(ra.namespace) && !spec.targetRef && !spec.targetRefs?.length && !runsEnvoy(index, ra)) {
      report(ra, 'CDK8SISTIO010', ERROR, `applies to pods of namespace '${ra.namespace}', which is enrolled in ambient mode: ztunnel cannot validate JWTs, so no token is checked. `
        + 'Attach it to a waypoint with targetRefs instead (KIA1115), or use JwtProtectedService.');
    }
    checkServiceTargets(index, report, ra, waypointOf, 'RequestAuthentication');
  }
  for (const t of index.of('Telemetry')) {
    const spec = t.json.spec ?? {};
    const http = spec.tracing || spec.accessLogging || (spec.metrics ?? []).some((m: any) => m?.overrides?.length);
    if (ambient.has(t.namespace) && http && !spec.targetRef && !spec.targetRefs?.length) {
      report(t, 'KIA1117', WARNING, `configures HTTP telemetry for pods of namespace '${t.namespace}', which is enrolled in ambient mode: ztunnel reports only TCP telemetry. `
        + 'Attach it to a waypoint with targetRefs for HTTP telemetry.');
    }
    checkServiceTargets(index, report, t, waypointOf, 'Telemetry');
  }

  const waypoints = new Map(index.of('Gateway').filter(g => g.json.apiVersion?.startsWith('gateway.networking.k8s.io/')).map(g => [`${g.namespace}/${g.json.metadata?.name}`, g]));
  const users = [...index.of('Service'), ...index.of('Namespace')];
  for (const user of users) {
    const isNamespace = user.json.kind === 'Namespace';
    const own = isNamespace ? user.json.metadata?.name : user.namespace;
    const used = usedWaypoint(user.json.metadata?.labels ?? {}, own);
    if (!used) continue;
    if (sidecar.has(own)) {
      report(user, 'KIA1312', WARNING, `uses waypoint '${used.namespace}/${used.name}', but namespace '${own}' is not enrolled in ambient mode: its pods have sidecars, which apply their own policies and routes. `
        + 'Enrol the namespace in ambient mode (istio.io/dataplane-mode: ambient) or remove the label.');
    }
    const gw = waypoints.get(`${used.namespace}/${used.name}`);
    if (!gw) {
      report(user, 'CDK8SISTIO021', WARNING, `uses waypoint '${used.namespace}/${used.name}', which this app does not define. If it is not deployed by other means, its traffic bypasses `
        + 'the waypoint and the policies attached there never apply (KIA1313). Define it with a Waypoint.');
      continue;
    }
    const problem = bindingProblem(gw, own, labelled.get(own) ?? {}, isNamespace);
    if (problem) report(user, 'CDK8SISTIO020', ERROR, `uses '${used.namespace}/${used.name}' as its waypoint, but ${problem}`);
  }

  checkAmbientRoutes(index, report, ambient, waypointOf);
  for (const sc of index.of('Sidecar')) {
    if (ambient.has(sc.namespace)) report(sc, 'IST0167', WARNING, `is in namespace '${sc.namespace}', which is enrolled in ambient mode: no sidecar reads it, so it has no effect.`);
  }
}

/** The L4 attributes ztunnel enforces in `when` (ambient/authorization.go l4WhenAttributes); any other key is HTTP to it. */
const L4_WHEN = ['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port'];

/** A rule's attributes ztunnel cannot enforce (ambient/authorization.go httpOperations, httpSources, when keys). */
function httpAttributes(rule: any): string[] {
  const out: string[] = [];
  for (const to of rule?.to ?? []) {
    for (const k of ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths']) if (to?.operation?.[k]) out.push(k);
  }
  for (const from of rule?.from ?? []) {
    for (const k of ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks']) if (from?.source?.[k]) out.push(k);
  }
  for (const when of rule?.when ?? []) if (!L4_WHEN.includes(String(when?.key))) out.push(String(when?.key));
  return out;
}

/** Whether a policy selects only pods of the app that run an Envoy of their own (gateways, sidecar-enrolled pods). */
function runsEnvoy(index: MeshIndex, policy: IndexedObject): boolean {
  const labels = policy.json.spec?.selector?.matchLabels;
  if (!labels) return false;
  const pods = index.select(labels, policy.namespace);
  return pods.length > 0 && pods.every(w => w.annotations['inject.istio.io/templates'] === 'gateway' || w.labels['sidecar.istio.io/inject'] === 'true');
}

/** A policy's Service targets must use a waypoint: elsewhere Istio ignores the policy (status AncestorNotBound). */
function checkServiceTargets(index: MeshIndex, report: Report, policy: IndexedObject, waypointOf: WaypointLookup, kind: string): void {
  const spec = policy.json.spec ?? {};
  const code = { AuthorizationPolicy: 'KIA0109', RequestAuthentication: 'KIA1110', Telemetry: 'KIA1112' }[kind];
  for (const ref of [...spec.targetRef ? [spec.targetRef] : [], ...spec.targetRefs ?? []]) {
    if (ref?.kind !== 'Service' || (ref.group ?? '') !== '') continue;
    const service = index.servicesByHost.get(`${ref.name}.${policy.namespace}.svc.cluster.local`);
    if (service && !waypointOf(service)) {
      report(policy, 'CDK8SISTIO019', ERROR, `attaches to Service '${ref.name}', which uses no waypoint: only a waypoint applies a ${kind} attached to a Service, so it applies nowhere (${code}). `
        + 'Make the Service use a waypoint (Waypoint.serve(), or the istio.io/use-waypoint label).');
    }
  }
}

/** Mesh routes for ambient Services: applied only by a waypoint, read from the Service's namespace (one API per host is CDK8SISTIO018). */
function checkAmbientRoutes(index: MeshIndex, report: Report, ambient: Set<string>, waypointOf: WaypointLookup): void {
  for (const kind of ['HTTPRoute', 'GRPCRoute']) {
    for (const route of index.of(kind)) {
      for (const parent of route.json.spec?.parentRefs ?? []) {
        if (parent?.kind !== 'Service' || (parent.group ?? '') !== '') continue;
        const host = `${parent.name}.${parent.namespace ?? route.namespace}.svc.cluster.local`;
        const service = index.servicesByHost.get(host);
        if (service && ambient.has(service.namespace) && !waypointOf(service)) {
          report(route, 'CDK8SISTIO022', ERROR, `routes mesh traffic of Service '${parent.name}' in namespace '${service.namespace}', which is enrolled in ambient mode, `
            + 'but the Service uses no waypoint: ztunnel clients never apply the route (Istio: "route will not be respected"). Make the Service use a waypoint.');
        }
      }
    }
  }
  for (const vs of index.of('VirtualService')) {
    const spec = vs.json.spec ?? {};
    const mesh = !spec.gateways?.length || spec.gateways.includes('mesh');
    if (!mesh || !(spec.http?.length || spec.tls?.length)) continue;
    for (const h of spec.hosts ?? []) {
      const host = resolveHost(h, vs.namespace);
      const service = index.servicesByHost.get(host);
      if (!service || !ambient.has(service.namespace)) continue;
      if (!waypointOf(service)) {
        report(vs, 'KIA1113', WARNING, `routes mesh traffic of '${host}', whose namespace is enrolled in ambient mode, but the Service uses no waypoint: ztunnel clients never apply it.`);
      } else if (vs.namespace !== service.namespace) {
        report(vs, 'KIA1114', WARNING, `routes '${host}' from namespace '${vs.namespace}'; its waypoint reads routes from the Service's namespace '${service.namespace}'. Move it there.`);
      }
    }
  }
  for (const dr of index.of('DestinationRule')) {
    const host = resolveHost(dr.json.spec?.host, dr.namespace);
    const service = index.servicesByHost.get(host);
    if (service && ambient.has(service.namespace) && dr.namespace !== service.namespace && waypointOf(service)) {
      report(dr, 'KIA0212', WARNING, `configures '${host}' from namespace '${dr.namespace}'; its waypoint reads DestinationRules from the Service's namespace '${service.namespace}'. Move it there.`);
    }
  }
}

/** Why a waypoint cannot serve an object (undefined when it can), as istiod decides the binding. */
function bindingProblem(gw: IndexedObject, namespace: string, namespaceLabels: { [key: string]: string }, isNamespace: boolean): string | undefined {
  const spec = gw.json.spec ?? {};
  if (spec.gatewayClassName !== 'istio-waypoint') return `that Gateway has class '${spec.gatewayClassName}', not istio-waypoint; only a waypoint serves mesh traffic.`;
  const forType = gw.json.metadata?.labels?.['istio.io/waypoint-for'] ?? 'service';
  if (!isNamespace && !['service', 'all'].includes(forType)) return `the waypoint is for '${forType}' traffic (istio.io/waypoint-for), not Service traffic.`;
  if (gw.namespace === namespace) return undefined;
  const listener = (spec.listeners ?? []).find((l: any) => l?.protocol === 'HBONE' && l?.port === 15008);
  const from = listener?.allowedRoutes?.namespaces?.from ?? 'Same';
  const selector = listener?.allowedRoutes?.namespaces?.selector?.matchLabels ?? {};
  const admitted = from === 'All' || (from === 'Selector' && selects(selector, namespaceLabels));
  return admitted ? undefined : `the waypoint is in namespace '${gw.namespace}' and its HBONE listener does not admit namespace '${namespace}' (allowedRoutes ${from}); `
    + 'Istio refuses the binding. Set routeNamespaces on the Waypoint.';
}

type WaypointLookup = (service: IndexedObject) => WaypointName | undefined;

/** The waypoint labels name, as istiod reads them ('none', or an empty name, opts out). */
function usedWaypoint(labels: { [key: string]: string }, namespace: string): WaypointName | undefined {
  const named = labelledWaypoint(labels, namespace);
  return named?.name ? named : undefined;
}
