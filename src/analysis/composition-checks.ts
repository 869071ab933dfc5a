import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report, resolveHost, Workload } from './mesh-index';

const { ERROR, WARNING } = FindingSeverity;
const ROOT_NAMESPACE = 'istio-system';

/**
 * Checks that intents compose, which no single object shows:
 * CDK8SISTIO014 an ALLOW rule that admits tokenless callers to a workload whose JWT
 * requirement is an ALLOW policy (Istio admits a request when any ALLOW matches, so the
 * requirement is bypassed; a DENY on `notRequestPrincipals` cannot be): an error when the
 * rule opens every path, a warning when its operations narrow it (it may be an intended public path);
 * CDK8SISTIO015 a DestinationRule subset no pod behind the host's Service carries
 * (requests routed to it find no endpoint: 503): an error when a route uses it, else a warning;
 * CDK8SISTIO016 two DENY policies on one workload that each refuse the other's token issuers
 * (no token passes both); CDK8SISTIO017 a token-requiring DENY scoped to ports no selected pod
 * listens on (the ports they do listen on need no token).
 * @internal
 */
export function checkComposition(index: MeshIndex, report: Report): void {
  checkJwtBypass(index, report);
  checkSubsetCoverage(index, report);
  checkIssuerLockout(index, report);
  checkTokenPorts(index, report);
}

function checkTokenPorts(index: MeshIndex, report: Report): void {
  for (const p of index.of('AuthorizationPolicy')) {
    if (p.json.spec?.action !== 'DENY' || p.json.spec?.targetRefs) continue;
    const ports = new Set<string>((p.json.spec?.rules ?? []).filter(deniesTokenless)
      .flatMap((r: any) => (r.to ?? []).flatMap((t: any) => t.operation?.ports ?? [])).map(String));
    if (ports.size === 0) continue;
    // Gateway pods listen where their Gateway servers say, not on declared container ports.
    const workloads = applicableWorkloads(index, p).filter(w => containerPorts(w).length > 0 && !isGatewayPod(w));
    if (workloads.length === 0) continue; // pods outside the app, gateways, or ports not declared: nothing to judge
    const listening = new Set<string>(workloads.flatMap(containerPorts).map(String));
    const missing = [...ports].filter(x => !listening.has(x));
    const uncovered = workloads.filter(w => !containerPorts(w).some(x => ports.has(String(x))));
    if (missing.length === 0 && uncovered.length === 0) continue;
    const problems = [
      missing.length ? `port(s) ${missing.join(', ')}, which no pod it selects listens on (their container ports: ${[...listening].join(', ')})` : undefined,
      uncovered.length ? `none of the ports of ${uncovered.map(w => `${w.object.json.kind} '${w.object.json.metadata?.name}' (${containerPorts(w).join(', ')})`).join(', ')}` : undefined,
    ].filter(Boolean);
    report(p, 'CDK8SISTIO017', ERROR, `requires a token on ${problems.join(', and on ')}; requests to the ports those pods listen on need no token. `
      + 'Name every HTTP container port (a Service\'s targetPort, not its port), or omit ports to cover all.');
  }
}

/** Whether the pods get Istio's gateway injection template (a gateway, not a sidecar). */
function isGatewayPod(w: Workload): boolean {
  const o = w.object.json;
  const annotations = (o.kind === 'Pod' ? o.metadata : o.spec?.template?.metadata)?.annotations ?? {};
  return annotations['inject.istio.io/templates'] === 'gateway';
}

/** The container ports a workload declares. */
function containerPorts(w: Workload): number[] {
  const o = w.object.json;
  const pod = o.kind === 'Pod' ? o.spec : o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
  return [...pod?.containers ?? [], ...pod?.initContainers ?? []].flatMap((c: any) => (c.ports ?? []).map((x: any) => x.containerPort));
}

function checkJwtBypass(index: MeshIndex, report: Report): void {
  const policies = index.of('AuthorizationPolicy').filter(p => !p.json.spec?.targetRefs && !p.json.spec?.targetRef);
  const allows = policies.filter(p => (p.json.spec?.action ?? 'ALLOW') === 'ALLOW' && !p.json.spec?.provider);
  const guards = policies.filter(p => p.json.spec?.action === 'DENY' && (p.json.spec?.rules ?? []).some(deniesTokenless));
  // A policy that requires a token in some rule is the workload's JWT requirement; its own
  // other rules (a public /healthz) are the user's stated exceptions.
  const requiring = allows.filter(p => (p.json.spec?.rules ?? []).some(requiresToken));
  const reported = new Set<string>();
  for (const jwt of requiring) {
    for (const w of applicableWorkloads(index, jwt)) {
      if (guards.some(g => appliesTo(g, w))) continue;
      for (const other of allows) {
        if (other === jwt || requiring.includes(other) || !appliesTo(other, w)) continue;
        for (const rule of (other.json.spec?.rules ?? []).filter((r: any) => !requiresToken(r))) {
          const key = `${other.path}|${jwt.path}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const narrowed = (rule.to ?? []).length > 0 || (rule.when ?? []).length > 0;
          report(other, 'CDK8SISTIO014', narrowed ? WARNING : ERROR, `admits callers without a token to ${w.object.json.kind} '${w.object.json.metadata?.name}'`
            + `${narrowed ? ' (for the operations its rule names)' : ' on every path'}, whose JWT requirement is the ALLOW policy ${jwt.namespace}/${jwt.json.metadata?.name}: `
            + 'Istio admits a request when any ALLOW policy matches, so that requirement is bypassed. '
            + 'Enforce the JWT with a DENY policy (from.source.notRequestPrincipals), as JwtProtectedService does, or require requestPrincipals in this rule too'
            + `${narrowed ? ' (suppress this if the operations are meant to be public)' : ''}.`);
        }
      }
    }
  }
}

/** A rule that only matches requests carrying a validated token. */
function requiresToken(rule: any): boolean {
  const sources = (rule.from ?? []).map((f: any) => f.source ?? {});
  return sources.length > 0 && sources.every((s: any) => (s.requestPrincipals ?? []).length > 0);
}

/** A DENY rule that refuses requests without a token. */
function deniesTokenless(rule: any): boolean {
  return (rule.from ?? []).some((f: any) => (f.source?.notRequestPrincipals ?? []).length > 0);
}

function applicableWorkloads(index: MeshIndex, policy: IndexedObject): Workload[] {
  const labels = policy.json.spec?.selector?.matchLabels ?? {};
  // A policy in the root namespace applies in every namespace.
  return index.select(labels, policy.namespace === ROOT_NAMESPACE ? undefined : policy.namespace);
}

function appliesTo(policy: IndexedObject, w: Workload): boolean {
  const labels = policy.json.spec?.selector?.matchLabels;
  if (policy.namespace !== ROOT_NAMESPACE && policy.namespace !== w.object.namespace) return false;
  return Object.entries(labels ?? {}).every(([k, v]) => w.labels[k] === v);
}

function checkSubsetCoverage(index: MeshIndex, report: Report): void {
  const routed = new Set<string>();
  for (const vs of index.of('VirtualService')) {
    for (const r of vs.json.spec?.http ?? []) {
      for (const d of [...(r.route ?? []).map((x: any) => x.destination), r.mirror].filter(Boolean)) {
        if (d.subset) routed.add(`${resolveHost(d.host, vs.namespace)}|${d.subset}`);
      }
    }
  }
  for (const dr of index.of('DestinationRule')) {
    const host = resolveHost(dr.json.spec?.host, dr.namespace);
    const service = index.servicesByHost.get(host);
    const selector = service?.json.spec?.selector;
    if (!service || !selector || !index.hasWorkloads(service.namespace)) continue;
    for (const subset of dr.json.spec?.subsets ?? []) {
      if (index.select({ ...selector, ...subset.labels }, service.namespace).length > 0) continue;
      const used = routed.has(`${host}|${subset.name}`);
      report(dr, 'CDK8SISTIO015', used ? ERROR : WARNING, `subset '${subset.name}' selects pods labelled ${JSON.stringify(subset.labels)}, but no pod behind Service '${service.json.metadata?.name}' `
        + `(selector ${JSON.stringify(selector)}) carries them, so requests routed to it find no endpoint (503)${used ? ', and a route does' : ''}. `
        + 'Fix the subset\'s labels or the Service\'s selector, or deploy that version.');
    }
  }
}

function checkIssuerLockout(index: MeshIndex, report: Report): void {
  const denies = index.of('AuthorizationPolicy').filter(p => p.json.spec?.action === 'DENY' && !p.json.spec?.targetRefs);
  const issuerRules = (p: IndexedObject) => (p.json.spec?.rules ?? []).filter((r: any) => !r.when && deniesTokenless(r));
  const reported = new Set<string>();
  const accepted = (p: IndexedObject) => new Set<string>(issuerRules(p)
    .flatMap((r: any) => r.from.flatMap((f: any) => f.source?.notRequestPrincipals ?? [])));
  // Workload → the issuer-restricting DENY policies on it, found from each policy's selector (not all pairs).
  const onWorkload = new Map<Workload, IndexedObject[]>();
  for (const p of denies.filter(d => issuerRules(d).length)) {
    for (const w of applicableWorkloads(index, p)) (onWorkload.get(w) ?? onWorkload.set(w, []).get(w)!).push(p);
  }
  for (const [w, mine] of onWorkload) {
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const [a, b] = [accepted(mine[i]), accepted(mine[j])];
        if ([...a].some(x => b.has(x) || x === '*') || b.has('*') || !samePorts(issuerRules(mine[i]), issuerRules(mine[j]))) continue;
        const key = `${mine[i].path}|${mine[j].path}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report(mine[j], 'CDK8SISTIO016', ERROR, `refuses tokens of issuers other than ${[...b].join(', ')}, and DENY policy ${mine[i].namespace}/${mine[i].json.metadata?.name} `
          + `refuses those other than ${[...a].join(', ')}, on the same workload (${w.object.json.kind} '${w.object.json.metadata?.name}'): no token passes both. List every accepted issuer in one policy.`);
      }
    }
  }
}

/** Whether two sets of rules may cover a common port (no ports: every port). */
function samePorts(a: any[], b: any[]): boolean {
  const ports = (rules: any[]) => rules.flatMap(r => (r.to ?? []).flatMap((t: any) => t.operation?.ports ?? []));
  const [pa, pb] = [ports(a), ports(b)];
  return pa.length === 0 || pb.length === 0 || pa.some((p: string) => pb.includes(p));
}
