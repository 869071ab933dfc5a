import { ApiObject, Chart } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { Finding, FindingSeverity } from './finding';
import { checkGateways } from './gateway-checks';
import { IndexedObject, MeshIndex } from './mesh-index';
import { checkVirtualServices } from './routing-checks';
import { checkSecurity } from './security-checks';
import { checkServicesAndNamespaces } from './service-checks';

/** Istio's per-resource suppression annotation: a comma-separated list of codes, or `*`. */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

const INSTANCE = Symbol.for('cdk8s-istio.MeshAnalyzer');

/**
 * Synth-time mesh analysis: reproduces the offline parts of `istioctl analyze`
 * (IST codes) plus checks of our own (CDK8SISTIO codes) over every object in the
 * app. Errors fail synthesis naming the construct path and code; warnings are
 * printed to stderr. It attaches itself to the app when the first Istio construct
 * is created; `MeshAnalyzer.of(scope)` configures it.
 *
 * Suppress a finding on one resource with the annotation
 * `galley.istio.io/analyze-suppress: "IST0118,CDK8SISTIO001"` (or `"*"`).
 */
export class MeshAnalyzer implements IValidation {
  /** The analyzer of the app `scope` belongs to (created and attached on first use). */
  public static of(scope: IConstruct): MeshAnalyzer {
    const root = scope.node.root as any;
    if (!root[INSTANCE]) {
      const analyzer = new MeshAnalyzer(scope.node.root);
      Object.defineProperty(root, INSTANCE, { value: analyzer });
      scope.node.root.node.addValidation(analyzer);
    }
    return root[INSTANCE];
  }

  /** Turn the analysis off for this app. @default true */
  public enabled = true;
  /** Fail synthesis on warnings too. @default false */
  public failOnWarnings = false;
  private readonly suppressed = new Set<string>();
  // cdk8s validates the whole app once per chart during one synth; the app does not
  // change in between, so findings are reused within the same synchronous run.
  private cached?: { constructs: number; findings: Finding[] };

  private constructor(private readonly root: IConstruct) {}

  /** Suppresses a code for the whole app (prefer the per-resource annotation). */
  public suppress(code: string): void {
    this.suppressed.add(code);
  }

  /** Runs every check and returns the findings (suppressions applied). */
  public analyze(): Finding[] {
    const objects: IndexedObject[] = [];
    for (const c of this.root.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      const json = c.toJson();
      objects.push({ json, path: c.node.path, namespace: json.metadata?.namespace ?? Chart.of(c).namespace ?? 'default' });
    }
    const index = new MeshIndex(objects);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const report = (o: IndexedObject, code: string, severity: FindingSeverity, message: string) => {
      if (this.suppressed.has(code)) return;
      const suppress = String(o.json.metadata?.annotations?.[SUPPRESS_ANNOTATION] ?? '').split(',').map(s => s.trim());
      if (suppress.includes(code) || suppress.includes('*')) return;
      const key = `${code}|${o.path}|${message}`;
      if (seen.has(key)) return; // e.g. two routes to the same missing subset
      seen.add(key);
      findings.push({ code, severity, resource: `${o.json.kind} ${o.namespace}/${o.json.metadata?.name}`, path: o.path, message });
    };
    checkVirtualServices(index, report);
    checkGateways(index, report);
    checkServicesAndNamespaces(index, report);
    checkSecurity(index, report);
    return findings;
  }

  /** The cdk8s validation hook: errors (and warnings with failOnWarnings) fail synthesis; warnings go to stderr. */
  public validate(): string[] {
    if (!this.enabled) return [];
    const constructs = this.root.node.findAll().length;
    const fresh = this.cached?.constructs !== constructs;
    if (fresh) {
      this.cached = { constructs, findings: this.analyze() };
      queueMicrotask(() => { this.cached = undefined; });
    }
    const errors: string[] = [];
    for (const f of this.cached!.findings) {
      const line = `${f.code} ${f.resource} ('${f.path}'): ${f.message}`;
      if (f.severity === FindingSeverity.ERROR || this.failOnWarnings) errors.push(line);
      else if (fresh) process.stderr.write(`warning: ${line}\n`);
    }
    return errors;
  }
}
