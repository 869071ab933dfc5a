import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report, Workload } from './mesh-index';

const { ERROR, WARNING } = FindingSeverity;
const ROOT_NAMESPACE = 'istio-system';
const TCP_PREFIXES = ['tcp', 'mongo', 'mysql', 'redis'];

/** A resource's workload selector labels (Sidecar spells it workloadSelector.labels). */
function selectorLabels(o: IndexedObject): { [key: string]: string } | undefined {
  return o.json.kind === 'Sidecar' ? o.json.spec?.workloadSelector?.labels : o.json.spec?.selector?.matchLabels;
}

/** Workloads a namespaced policy applies to (selector, or the whole namespace). */
function targets(index: MeshIndex, policy: IndexedObject): Workload[] {
  return index.select(selectorLabels(policy) ?? {}, policy.namespace);
}

/** A policy's targetRefs as `group/kind/name`. */
function targetRefsOf(o: IndexedObject): string[] {
  const spec = o.json.spec ?? {};
  return [...spec.targetRef ? [spec.targetRef] : [], ...spec.targetRefs ?? []].map((r: any) => `${r.group ?? ''}/${r.kind}/${r.name}`);
}

/** A rule that only HTTP traffic can match: HTTP operation fields, request principals, request.* conditions. @internal */
export function httpOnlyRule(rule: any): boolean {
  const ops = (rule.to ?? []).map((t: any) => t.operation ?? {});
  const sources = (rule.from ?? []).map((f: any) => f.source ?? {});
  return ops.some((o: any) => ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts'].some(k => o[k]))
    || sources.some((s: any) => s.requestPrincipals || s.notRequestPrincipals)
    || (rule.when ?? []).some((c: any) => String(c.key).startsWith('request.'));
}

function requiresRequestPrincipal(rule: any): boolean {
  return (rule.from ?? []).some((f: any) => f.source?.requestPrincipals || f.source?.notRequestPrincipals)
    || (rule.when ?? []).some((c: any) => String(c.key).startsWith('request.auth.'));
}

/**
 * IST0127 (AuthorizationPolicy matches no workload), IST0101 (Sidecar/Telemetry
 * selector matches nothing), and three checks nobody else makes:
 * CDK8SISTIO001 a RequestAuthentication no AuthorizationPolicy enforces (tokens are
 * validated, yet requests without one pass), CDK8SISTIO002 a DENY policy with HTTP-only
 * fields on a workload serving TCP (Istio drops those fields, so it denies all TCP
 * traffic), CDK8SISTIO003 STRICT mTLS on a workload a LoadBalancer/NodePort Service
 * exposes to non-mesh clients.
 * @internal
 */
export function checkSecurity(index: MeshIndex, report: Report): void {
  for (const kind of ['AuthorizationPolicy', 'Sidecar', 'Telemetry']) {
    for (const p of index.of(kind)) {
      const labels = selectorLabels(p);
      if (!labels || p.namespace === ROOT_NAMESPACE || !index.hasWorkloads(p.namespace)) continue;
      if (targets(index, p).length === 0) {
        const code = kind === 'AuthorizationPolicy' ? 'IST0127' : 'IST0101';
        report(p, code, WARNING, `selector ${JSON.stringify(labels)} matches no workload in namespace '${p.namespace}'. Fix the labels (WorkloadSelector.fromWorkload derives them).`);
      }
    }
  }

  const policies = index.of('AuthorizationPolicy');
  // Where a request principal is required: `namespace|*` (no selector) or `namespace|<labels JSON>`.
  // A policy attached by targetRefs (a waypoint's Service, a Gateway API gateway) counts for the same targets only.
  const enforcing = new Set<string>();
  for (const ap of policies) {
    if (!(ap.json.spec?.rules ?? []).some(requiresRequestPrincipal)) continue;
    const refs = targetRefsOf(ap);
    if (refs.length) {
      refs.forEach(r => enforcing.add(`${ap.namespace}|ref:${r}`));
      continue;
    }
    const selector = ap.json.spec?.selector;
    enforcing.add(`${ap.namespace}|${selector === undefined ? '*' : JSON.stringify(selector.matchLabels ?? null)}`);
  }
  for (const ra of index.of('RequestAuthentication')) {
    const refs = targetRefsOf(ra);
    const raLabels = JSON.stringify(ra.json.spec?.selector?.matchLabels ?? null);
    const enforced = refs.length ? refs.every(r => enforcing.has(`${ra.namespace}|ref:${r}`))
      : [ra.namespace, ROOT_NAMESPACE].some(ns => enforcing.has(`${ns}|*`) || enforcing.has(`${ns}|${raLabels}`));
    if (!enforced) {
      report(ra, 'CDK8SISTIO001', WARNING, 'validates tokens, but no AuthorizationPolicy for the same workloads requires a request principal, so requests without a token are let through. '
        + 'Add one (JwtProtectedService does), or suppress this if anonymous access is intended.');
    }
  }

  const servicesByNamespace = new Map<string, IndexedObject[]>();
  for (const s of index.of('Service')) (servicesByNamespace.get(s.namespace) ?? servicesByNamespace.set(s.namespace, []).get(s.namespace)!).push(s);
  const servedBy = (w: Workload) => (servicesByNamespace.get(w.object.namespace) ?? [])
    .filter(s => s.json.spec?.selector && Object.entries(s.json.spec.selector).every(([k, v]) => w.labels[k] === v));

  for (const ap of policies) {
    if (ap.json.spec?.action !== 'DENY') continue;
    const rules = (ap.json.spec?.rules ?? []).filter(httpOnlyRule);
    if (!rules.length) continue;
    const refs = targetRefsOf(ap).filter(r => r.startsWith('/Service/')).map(r => index.servicesByHost.get(`${r.split('/')[2]}.${ap.namespace}.svc.cluster.local`));
    const services = targetRefsOf(ap).length ? refs.filter((s): s is IndexedObject => s !== undefined) : targets(index, ap).flatMap(servedBy);
    const tcpPorts = services.flatMap(s => s.json.spec.ports ?? [])
      .filter((p: any) => TCP_PREFIXES.includes(String(p.appProtocol ?? p.name ?? '').split('-')[0].toLowerCase()));
    if (tcpPorts.length) {
      report(ap, 'CDK8SISTIO002', ERROR, `is a DENY policy with HTTP-only fields, and its workloads serve TCP on port(s) ${[...new Set(tcpPorts.map((p: any) => p.port))].join(', ')}; `
        + 'for TCP traffic Istio drops those fields and denies everything the rest of the rule matches. Restrict the rule with to.operation.ports to HTTP ports, or split the policy.');
    }
  }

  for (const pa of index.of('PeerAuthentication')) {
    if (pa.json.spec?.mtls?.mode !== 'STRICT') continue;
    const permissivePorts = new Set(Object.entries(pa.json.spec?.portLevelMtls ?? {}).filter(([, v]: any) => v.mode !== 'STRICT').map(([k]) => Number(k)));
    const workloads = pa.namespace === ROOT_NAMESPACE && !pa.json.spec?.selector ? index.workloads : targets(index, pa);
    for (const w of workloads) {
      if (w.annotations['inject.istio.io/templates'] === 'gateway') continue; // gateways terminate external traffic themselves
      for (const s of servedBy(w)) {
        if (s.json.spec?.type !== 'LoadBalancer' && s.json.spec?.type !== 'NodePort') continue;
        const exposed = (s.json.spec.ports ?? []).filter((p: any) => !permissivePorts.has(Number(p.targetPort ?? p.port)));
        if (exposed.length) {
          report(pa, 'CDK8SISTIO003', WARNING, `requires mutual TLS for ${w.object.json.kind} '${w.object.json.metadata.name}', which ${s.json.spec.type} Service '${s.json.metadata.name}' exposes to clients outside the mesh `
            + `(port(s) ${exposed.map((p: any) => p.targetPort ?? p.port).join(', ')}); they cannot connect. Add PERMISSIVE portLevelMtls for those ports or route through an ingress gateway.`);
        }
      }
    }
  }
}
