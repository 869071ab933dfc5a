import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report } from './mesh-index';
import { pathProblem } from '../core/http-path';

const { ERROR, WARNING } = FindingSeverity;

/**
 * Providers every mesh config has without declaring them (Istio's default
 * `meshConfig.extensionProviders`).
 */
const BUILT_IN_PROVIDERS = ['prometheus', 'stackdriver', 'envoy'];

/** What the app's control planes declare, for the provider checks. @internal */
export interface DeclaredMesh {
  /** Extension providers declared by the app's control planes; undefined when the app installs no control plane. */
  readonly providers?: Set<string>;
  /** Paths of the app's control planes whose istiod fetches JWKS from any address. */
  readonly unrestrictedJwks?: string[];
  /** The Istio release the app targets (IstioVersion). */
  readonly istioVersion: string;
}

/**
 * Config that Istio accepts but that never does what it says:
 * - CDK8SISTIO006: an AuthorizationPolicy method not in upper case (Envoy compares
 *   `:method` as written, so `get` matches no request);
 * - CDK8SISTIO007: a path with `*` other than a whole prefix (`/api/*`), suffix
 *   (`*.html`) or `*` alone, or a path not starting with `/` (Istio matches it literally);
 * - CDK8SISTIO008 (warning): a JWT claim name with a dot in `request.auth.claims[...]`
 *   (Istio reads it as one claim named with a dot; nested claims are `[a][b]`);
 * - CDK8SISTIO009: a CUSTOM provider or Telemetry provider that no control plane
 *   of the app declares (Istio then denies every request, or drops the telemetry);
 * - IST0175 (warning): RequestAuthentications in an app whose control plane lets istiod fetch
 *   JWKS from any address (no `istiod.blockedJwksCidrs`);
 * - IST0111 / CDK8SISTIO011: two namespace-wide Sidecars, or two namespace-wide
 *   PeerAuthentications, in one namespace (which one applies is undefined).
 * @internal
 */
export function checkPolicies(index: MeshIndex, report: Report, mesh: DeclaredMesh): void {
  for (const ap of index.of('AuthorizationPolicy')) {
    const spec = ap.json.spec ?? {};
    (spec.rules ?? []).forEach((rule: any, i: number) => {
      checkOperations(ap, report, rule, i);
      (rule.when ?? []).forEach((c: any, j: number) => checkClaimKey(ap, report, String(c?.key ?? ''), `rules[${i}].when[${j}]`));
    });
    if (spec.action === 'CUSTOM' && mesh.providers && spec.provider?.name && !mesh.providers.has(spec.provider.name)) {
      report(ap, 'CDK8SISTIO009', ERROR, `CUSTOM provider '${spec.provider.name}' is not among the extension providers this app's control plane declares (${[...mesh.providers].sort().join(', ') || 'none'}); `
        + 'Istio denies every request it applies to. Declare it with meshConfig.extensionProviders (ExtensionProvider.extAuthzHttp/extAuthzGrpc).');
    }
  }
  if (mesh.providers) {
    for (const t of index.of('Telemetry')) {
      for (const field of ['tracing', 'accessLogging', 'metrics']) {
        for (const p of (t.json.spec?.[field] ?? []).flatMap((e: any) => e?.providers ?? [])) {
          if (p?.name && !mesh.providers.has(p.name) && !BUILT_IN_PROVIDERS.includes(p.name)) {
            report(t, 'CDK8SISTIO009', ERROR, `${field} provider '${p.name}' is not among the extension providers this app's control plane declares (${[...mesh.providers].sort().join(', ') || 'none'}) `
              + `nor built in (${BUILT_IN_PROVIDERS.join(', ')}); Istio drops this telemetry. Declare it with meshConfig.extensionProviders.`);
          }
        }
      }
    }
  }
  const ras = index.of('RequestAuthentication');
  if (ras.length && mesh.unrestrictedJwks?.length) {
    report(ras[0], 'IST0175', WARNING, `is one of ${ras.length} RequestAuthentication(s), and istiod of ${mesh.unrestrictedJwks.map(p => `'${p}'`).join(', ')} fetches their jwksUri from any address `
      + '(BLOCKED_CIDRS_IN_JWKS_URIS is not set). Set istiod.blockedJwksCidrs to the cluster\'s internal ranges.');
  }
  checkOnePerNamespace(index.of('Sidecar').filter(o => !o.json.spec?.workloadSelector), report, 'IST0111', 'Sidecar without a workloadSelector');
  checkOnePerNamespace(index.of('PeerAuthentication').filter(o => !o.json.spec?.selector && o.namespace !== 'istio-system'), report, 'CDK8SISTIO011', 'PeerAuthentication without a selector');
}

function checkOperations(ap: IndexedObject, report: Report, rule: any, i: number): void {
  (rule.to ?? []).forEach((to: any, j: number) => {
    const op = to?.operation ?? {};
    for (const field of ['methods', 'notMethods']) {
      for (const m of op[field] ?? []) {
        if (typeof m === 'string' && m !== m.toUpperCase()) {
          report(ap, 'CDK8SISTIO006', ERROR, `rules[${i}].to[${j}].operation.${field} has '${m}': methods are compared as written and requests carry them in upper case, so it matches nothing. Write '${m.toUpperCase()}'.`);
        }
      }
    }
    for (const field of ['paths', 'notPaths']) {
      for (const p of op[field] ?? []) {
        const problem = typeof p === 'string' ? pathProblem(p) : undefined;
        if (problem) report(ap, 'CDK8SISTIO007', ERROR, `rules[${i}].to[${j}].operation.${field} has '${p}': ${problem}`);
      }
    }
  });
}

function checkClaimKey(o: IndexedObject, report: Report, key: string, where: string): void {
  const m = /^request\.auth\.claims\[(.*)\]$/.exec(key);
  if (m && !m[1].includes('][') && m[1].includes('.')) {
    report(o, 'CDK8SISTIO008', WARNING, `${where} reads the claim '${m[1]}' as one name containing dots; a nested claim is written 'request.auth.claims[${m[1].split('.').join('][')}]'. `
      + 'Keep the dots only when the token really has a claim with that name (e.g. a URL-style claim).');
  }
}

function checkOnePerNamespace(objects: IndexedObject[], report: Report, code: string, what: string): void {
  const first = new Map<string, IndexedObject>();
  for (const o of objects) {
    const earlier = first.get(o.namespace);
    if (!earlier) {
      first.set(o.namespace, o);
      continue;
    }
    report(o, code, ERROR, `a second ${what} in namespace '${o.namespace}' (the other is '${earlier.path}'): which one applies is undefined. Merge them into one.`);
  }
}
