import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report, resolveHost, Workload } from './mesh-index';

const { ERROR } = FindingSeverity;
const ROOT_NAMESPACE = 'istio-system';

/**
 * Checks that intents compose, which no single object shows:
 * CDK8SISTIO014 an ALLOW policy that admits tokenless callers to a workload whose
 * JWT is enforced only by ALLOW policies (Istio admits a request when any ALLOW
 * matches, so the JWT requirement is bypassed; a DENY on `notRequestPrincipals` cannot be),
 * CDK8SISTIO015 a DestinationRule subset no pod behind the host's Service carries
 * (requests routed to it find no endpoint: 503).
 * @internal
 */
export function checkComposition(index: MeshIndex, report: Report): void {
  checkJwtBypass(index, report);
  checkSubsetCoverage(index, report);
}

function checkJwtBypass(index: MeshIndex, report: Report): void {
  const policies = index.of('AuthorizationPolicy').filter(p => !p.json.spec?.targetRefs && !p.json.spec?.targetRef);
  const allows = policies.filter(p => (p.json.spec?.action ?? 'ALLOW') === 'ALLOW' && !p.json.spec?.provider);
  const guards = policies.filter(p => p.json.spec?.action === 'DENY' && (p.json.spec?.rules ?? []).some(deniesTokenless));
  const requiring = allows.filter(p => (p.json.spec?.rules ?? []).length > 0 && p.json.spec.rules.every(requiresToken));
  const reported = new Set<string>();
  for (const jwt of requiring) {
    for (const w of applicableWorkloads(index, jwt)) {
      if (guards.some(g => appliesTo(g, w))) continue;
      for (const other of allows) {
        if (other === jwt || !appliesTo(other, w) || !(other.json.spec?.rules ?? []).some((r: any) => !requiresToken(r))) continue;
        const key = `${other.path}|${jwt.path}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report(other, 'CDK8SISTIO014', ERROR, `admits callers without a token to ${w.object.json.kind} '${w.object.json.metadata?.name}', whose JWT requirement is the ALLOW policy `
          + `${jwt.namespace}/${jwt.json.metadata?.name}: Istio admits a request when any ALLOW policy matches, so that requirement is bypassed. `
          + 'Enforce the JWT with a DENY policy (from.source.notRequestPrincipals), as JwtProtectedService does, or require requestPrincipals in this rule too.');
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
  const labels = policy.json.spec?.selector?.matchLabels;
  if (policy.namespace === ROOT_NAMESPACE && !labels) return index.workloads;
  return index.select(labels ?? {}, policy.namespace);
}

function appliesTo(policy: IndexedObject, w: Workload): boolean {
  const labels = policy.json.spec?.selector?.matchLabels;
  if (policy.namespace === ROOT_NAMESPACE && !labels) return true;
  if (policy.namespace !== w.object.namespace) return false;
  return Object.entries(labels ?? {}).every(([k, v]) => w.labels[k] === v);
}

function checkSubsetCoverage(index: MeshIndex, report: Report): void {
  for (const dr of index.of('DestinationRule')) {
    const host = resolveHost(dr.json.spec?.host, dr.namespace);
    const service = index.servicesByHost.get(host);
    const selector = service?.json.spec?.selector;
    if (!service || !selector || !index.hasWorkloads(service.namespace)) continue;
    for (const subset of dr.json.spec?.subsets ?? []) {
      if (index.select({ ...selector, ...subset.labels }, service.namespace).length > 0) continue;
      report(dr, 'CDK8SISTIO015', ERROR, `subset '${subset.name}' selects pods labelled ${JSON.stringify(subset.labels)}, but no pod behind Service '${service.json.metadata?.name}' `
        + `(selector ${JSON.stringify(selector)}) carries them, so requests routed to it find no endpoint (503). Fix the subset's labels or the Service's selector.`);
    }
  }
}
