/**
 * A test oracle for Istio's AuthorizationPolicy decision on one workload, written
 * from Istio's documented semantics (https://istio.io/latest/docs/concepts/security/#authorization-policies):
 * CUSTOM aside, a request is denied if any DENY policy matches; otherwise, if any
 * ALLOW policy applies to the workload, it is allowed only if one matches; with no
 * ALLOW policy it is allowed. Only the fields our intents emit are evaluated; any
 * other field throws, so a test cannot pass by ignoring one.
 */
export interface Request {
  readonly namespace: string;
  readonly principal?: string;
  /** `issuer/subject` of a validated token. */
  readonly requestPrincipal?: string;
  readonly claims?: { [claim: string]: string[] };
  readonly path: string;
  readonly method?: string;
  readonly port: number;
}

const SOURCE_FIELDS = ['namespaces', 'principals', 'requestPrincipals', 'notRequestPrincipals'];
const OPERATION_FIELDS = ['paths', 'notPaths', 'ports', 'methods'];

export function decide(policies: any[], workload: { namespace: string; labels: { [k: string]: string } }, request: Request): 'ALLOW' | 'DENY' {
  const applying = policies.filter(p => p.kind === 'AuthorizationPolicy'
    && (p.metadata.namespace === workload.namespace || p.metadata.namespace === 'istio-system')
    && Object.entries(p.spec?.selector?.matchLabels ?? {}).every(([k, v]) => workload.labels[k] === v));
  const matches = (p: any) => (p.spec?.rules ?? []).some((r: any) => ruleMatches(r, request));
  if (applying.some(p => p.spec?.action === 'DENY' && matches(p))) return 'DENY';
  const allows = applying.filter(p => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
  if (allows.length === 0) return 'ALLOW';
  return allows.some(matches) ? 'ALLOW' : 'DENY';
}

function ruleMatches(rule: any, req: Request): boolean {
  const from = rule.from === undefined || rule.from.some((f: any) => sourceMatches(f.source, req));
  const to = rule.to === undefined || rule.to.some((t: any) => operationMatches(t.operation, req));
  const when = (rule.when ?? []).every((c: any) => conditionMatches(c, req));
  return from && to && when;
}

function sourceMatches(s: any, req: Request): boolean {
  for (const k of Object.keys(s)) if (!SOURCE_FIELDS.includes(k)) throw new Error(`oracle: source field ${k} not modelled`);
  return (!s.namespaces || s.namespaces.includes(req.namespace))
    && (!s.principals || (req.principal !== undefined && s.principals.some((p: string) => glob(p, req.principal!))))
    && (!s.requestPrincipals || (req.requestPrincipal !== undefined && s.requestPrincipals.some((p: string) => glob(p, req.requestPrincipal!))))
    && (!s.notRequestPrincipals || req.requestPrincipal === undefined || !s.notRequestPrincipals.some((p: string) => glob(p, req.requestPrincipal!)));
}

function operationMatches(o: any, req: Request): boolean {
  for (const k of Object.keys(o)) if (!OPERATION_FIELDS.includes(k)) throw new Error(`oracle: operation field ${k} not modelled`);
  return (!o.paths || o.paths.some((p: string) => glob(p, req.path)))
    && (!o.notPaths || !o.notPaths.some((p: string) => glob(p, req.path)))
    && (!o.ports || o.ports.map(Number).includes(req.port))
    && (!o.methods || (req.method !== undefined && o.methods.includes(req.method)));
}

function conditionMatches(c: any, req: Request): boolean {
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(c.key);
  if (!claim) throw new Error(`oracle: condition ${c.key} not modelled`);
  const have = req.claims?.[claim[1]] ?? [];
  if (c.values) return c.values.some((v: string) => have.includes(v));
  return !c.notValues.some((v: string) => have.includes(v));
}

/** Istio's string match: exact, `prefix*`, `*suffix` or `*`. */
function glob(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}
