import { FindingSeverity } from './finding';
import { hostMatches, IndexedObject, MeshIndex, Report, resolveHost } from './mesh-index';

const { ERROR, WARNING } = FindingSeverity;

/** Every destination a VirtualService routes or mirrors to. */
function destinations(spec: any): any[] {
  const out: any[] = [];
  for (const r of spec.http ?? []) {
    for (const d of r.route ?? []) out.push(d.destination);
    if (r.mirror) out.push(r.mirror);
    for (const m of r.mirrors ?? []) out.push(m.destination);
  }
  for (const r of [...spec.tls ?? [], ...spec.tcp ?? []]) for (const d of r.route ?? []) out.push(d.destination);
  return out.filter(Boolean);
}

/** Gateway references of a VirtualService (top level and per match), as `ns/name`. */
function gatewayRefs(vs: IndexedObject): string[] {
  const spec = vs.json.spec ?? {};
  const refs = new Set<string>(spec.gateways ?? []);
  for (const r of [...spec.http ?? [], ...spec.tls ?? [], ...spec.tcp ?? []]) {
    for (const m of r.match ?? []) for (const g of m.gateways ?? []) refs.add(g);
  }
  refs.delete('mesh');
  return [...refs].map(g => (g.includes('/') ? g : `${vs.namespace}/${g}`));
}

/**
 * IST0101 (missing subset / gateway), IST0132 (VS host not on its gateway),
 * IST0109 (several mesh VirtualServices for one host), IST0112 (multi-port
 * destination without port), IST0149 (JWT claim routing without RequestAuthentication),
 * CDK8SISTIO018 (a host's mesh traffic routed by a VirtualService and an HTTPRoute).
 * @internal
 */
export function checkVirtualServices(index: MeshIndex, report: Report): void {
  const meshHosts = new Map<string, IndexedObject[]>();
  for (const vs of index.of('VirtualService')) {
    const spec = vs.json.spec ?? {};
    const hosts: string[] = (spec.hosts ?? []).map((h: string) => resolveHost(h, vs.namespace));
    const gateways: string[] = spec.gateways ?? [];
    if (gateways.length === 0 || gateways.includes('mesh')) {
      for (const h of hosts) (meshHosts.get(h) ?? meshHosts.set(h, []).get(h)!).push(vs);
    }

    for (const ref of gatewayRefs(vs)) {
      const gw = index.gatewaysByRef.get(ref);
      if (!gw) {
        report(vs, 'IST0101', ERROR, `references gateway '${ref}', which is not in this app. Create the Gateway or fix the reference (use 'namespace/name').`);
        continue;
      }
      if (!gateways.map((g: string) => (g.includes('/') ? g : `${vs.namespace}/${g}`)).includes(ref)) continue;
      const serverHosts: string[] = (gw.json.spec?.servers ?? []).flatMap((s: any) => s.hosts ?? []).map((h: string) => h.split('/').pop()!);
      for (const h of spec.hosts ?? []) {
        if (!serverHosts.some(p => hostMatches(p, h))) {
          report(vs, 'IST0132', WARNING, `host '${h}' is not among the hosts of gateway '${ref}' (${serverHosts.join(', ')}), so the gateway never routes it. Add the host to a server of the Gateway.`);
        }
      }
      if (hasClaimMatch(spec) && !gatewayHasJwtAuthentication(index, gw)) {
        report(vs, 'IST0149', ERROR, `routes on JWT claims (@request.auth.claims) through gateway '${ref}', but no RequestAuthentication selects the gateway's pods, so the claims are never set. Add a RequestAuthentication for the gateway workload.`);
      }
    }

    for (const d of destinations(spec)) {
      const host = resolveHost(d.host, vs.namespace);
      if (d.subset) {
        const rules = index.destinationRulesByHost.get(host) ?? [];
        if (!rules.some(r => (r.json.spec?.subsets ?? []).some((s: any) => s.name === d.subset))) {
          report(vs, 'IST0101', ERROR, `routes to subset '${d.subset}' of '${host}', but no DestinationRule in this app defines that subset. Add the subset to the host's DestinationRule.`);
        }
      }
      const svc = index.servicesByHost.get(host);
      if (svc && (svc.json.spec?.ports ?? []).length > 1 && d.port?.number === undefined) {
        report(vs, 'IST0112', ERROR, `routes to '${host}', which has ${(svc.json.spec.ports).length} ports, without destination.port; Istio cannot pick one. Set the port.`);
      }
    }
  }
  // Istio's behaviour is undefined when a VirtualService and an HTTPRoute both route a host's mesh traffic.
  for (const route of index.of('HTTPRoute').concat(index.of('GRPCRoute'))) {
    for (const p of route.json.spec?.parentRefs ?? []) {
      if (p.kind !== 'Service') continue;
      const host = `${p.name}.${p.namespace ?? route.namespace}.svc.cluster.local`;
      for (const vs of meshHosts.get(host) ?? []) {
        report(route, 'CDK8SISTIO018', ERROR, `routes mesh traffic to ${host}, which VirtualService ${vs.namespace}/${vs.json.metadata?.name} routes too; `
          + 'Istio does not define which one applies. Render the host with one API (TrafficApi.use on its chart), or remove one.');
      }
    }
  }
  for (const [host, services] of meshHosts) {
    if (services.length < 2) continue;
    for (const vs of services) {
      const others = services.filter(o => o !== vs).map(o => `${o.namespace}/${o.json.metadata.name}`).join(', ');
      report(vs, 'IST0109', ERROR, `is one of several mesh VirtualServices for host '${host}' (also ${others}); sidecars do not merge them, so only one applies. Merge the routes into one VirtualService.`);
    }
  }
}

function hasClaimMatch(spec: any): boolean {
  return (spec.http ?? []).some((r: any) => (r.match ?? []).some((m: any) => Object.keys(m.headers ?? {}).some(h => h.startsWith('@request.auth.claims'))));
}

function gatewayHasJwtAuthentication(index: MeshIndex, gw: IndexedObject): boolean {
  const selector = gw.json.spec?.selector ?? {};
  const pods = index.select(selector);
  if (pods.length === 0) return true; // the gateway's pods are not in this app: nothing to judge
  return index.of('RequestAuthentication').some(ra => {
    const labels = ra.json.spec?.selector?.matchLabels;
    return pods.some(p => (ra.namespace === p.object.namespace || ra.namespace === 'istio-system')
      && (!labels || Object.entries(labels).every(([k, v]) => p.labels[k] === v)));
  });
}
