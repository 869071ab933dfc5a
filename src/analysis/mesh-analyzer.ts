import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct, IValidation } from 'constructs';
import { checkAmbient } from './ambient-checks';
import { checkComposition } from './composition-checks';
import { checkEnvoyFilters } from './envoy-filter-checks';
import { Finding, FindingSeverity } from './finding';
import { checkGateways } from './gateway-checks';
import { checkIdentities } from './identity-checks';
import { isValidatedKind, SCHEMA_PREFIX, ValidationResult, ValidationRun, VALIDATION_SWITCH_ENV } from './istio-validator';
import { checkKubernetesObjects } from './kubernetes-checks';
import { IndexedObject, MeshIndex, Report } from './mesh-index';
import { checkPolicies, DeclaredMesh } from './policy-checks';
import { checkVirtualServices } from './routing-checks';
import { checkSecurity } from './security-checks';
import { checkServicesAndNamespaces } from './service-checks';
import { checkArguments } from '../core/arguments';
import { DataPlane, DataPlaneMode } from '../core/data-plane';
import { IstioVersion } from '../core/istio-version';
import { onIstioResourceCreated } from '../core/resource-hooks';
import { SUPPRESS_ANNOTATION } from '../core/suppression';
import { isRevalidationWithinSynth } from '../core/synth-checks';
import { TrafficApi } from '../core/traffic-api';


const INSTANCE = Symbol.for('cdk8s-istio.MeshAnalyzer');
/** What an IstioControlPlane exposes for the provider checks (read by name: analysis does not import install). */
const CONTROL_PLANE_PROVIDERS = 'extensionProviderNames';
/** …and the ranges its istiod refuses to fetch JWKS from (IST0175). */
const CONTROL_PLANE_JWKS_BLOCKS = 'blockedJwksCidrs';

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
    checkArguments(undefined, 'MeshAnalyzer', 'of', arguments);
    const root = scope.node.root as any;
    if (!root[INSTANCE]) {
      const analyzer = new MeshAnalyzer(scope.node.root);
      Object.defineProperty(root, INSTANCE, { value: analyzer });
      // A child of its own, so cdk8s prefixes its errors with '[MeshAnalysis]' (the
      // root's path is empty). It renders nothing: it is not a Chart.
      new Construct(root, 'MeshAnalysis').node.addValidation(analyzer);
    }
    return root[INSTANCE];
  }

  /** Turn the analysis off for this app. @default true */
  public enabled = true;
  /** Fail synthesis on warnings too. @default false */
  public failOnWarnings = false;
  /**
   * Judge every Istio object with Istio's own validation (the admission webhook's
   * code) and the API server's CRD checks (closed schemas, CEL rules) at synth.
   * Turning it off moves those errors to `kubectl apply` time, or to an Argo CD
   * sync that fails half-way. `CDK8S_ISTIO_VALIDATION=off` does the same for a process.
   * @default true
   */
  public istioValidation = true;
  private readonly suppressed = new Set<string>();
  // App.synth() and synthYaml() validate the whole app, then once more per chart (cdk8s'
  // _synthChart); nothing runs in between that could change the app, so those passes
  // reuse the findings of the first (see isRevalidationWithinSynth).
  private last?: Finding[];

  private constructor(private readonly root: IConstruct) {}

  /** Suppresses a code for the whole app (prefer the per-resource annotation). */
  public suppress(code: string): void {
    checkArguments(undefined, 'MeshAnalyzer', 'suppress', arguments);
    this.suppressed.add(code);
  }

  /** Runs every check and returns the findings (suppressions applied). */
  public analyze(): Finding[] {
    const validating = this.istioValidation && process.env[VALIDATION_SWITCH_ENV] !== 'off';
    // Istio's validation runs beside the analysis: each Istio object goes to it as soon
    // as it is rendered, and the checks below run while it judges them.
    const gatewayApi = TrafficApi._ofApp(this.root);
    const istioVersion = IstioVersion.of(this.root);
    const istioRelease = IstioVersion._crdRelease(istioVersion);
    const run = validating ? new ValidationRun(IstioVersion._crdFile(istioRelease), gatewayApi._crdFile) : undefined;
    try {
      const objects: IndexedObject[] = [];
      const judged: IndexedObject[] = [];
      let providers: Set<string> | undefined;
      const unrestrictedJwks: string[] = [];
      for (const c of this.root.node.findAll()) {
        const declared = (c as any)[CONTROL_PLANE_PROVIDERS];
        if (Array.isArray(declared)) providers = new Set([...providers ?? [], ...declared]);
        const blocked = (c as any)[CONTROL_PLANE_JWKS_BLOCKS];
        if (Array.isArray(declared) && Array.isArray(blocked) && blocked.length === 0) unrestrictedJwks.push(c.node.path);
        if (!(c instanceof ApiObject)) continue;
        const json = c.toJson();
        const o = { json, path: c.node.path, namespace: json.metadata?.namespace ?? Chart.of(c).namespace ?? 'default' };
        objects.push(o);
        if (run && isValidatedKind(json)) {
          run.submit(json);
          judged.push(o);
        }
      }
      // What the API server or Istio's webhook rejects, or what one object silently
      // replaces, cannot be annotated away: these findings skip suppression.
      const findings = this.collector();
      checkIdentities(objects, findings.record);
      // The checks read specs as Istio defines them. They run on every object while
      // Istio judges them; should Istio reject one (whose shape may mislead them),
      // they run again without it.
      const mesh = { providers, unrestrictedJwks, istioVersion };
      let checks = this.check(objects, mesh, validating);
      const rejected = run ? reportVerdicts(judged, run.finish(), findings, gatewayApi, istioRelease) : new Set<IndexedObject>();
      if (rejected.size > 0 || checks === undefined) checks = this.check(objects.filter(o => !rejected.has(o)), mesh, false);
      return [...findings.list, ...checks!.list];
    } catch (e) {
      run?.abort();
      throw e;
    }
  }

  /**
   * The cross-resource checks. With `speculative`, a crash on a malformed object
   * returns undefined (Istio's verdict decides what to leave out); otherwise it is a
   * clear error, since Istio's validation, which would have named the object, is off.
   */
  private check(objects: IndexedObject[], mesh: DeclaredMesh, speculative: boolean): Collector | undefined {
    const found = this.collector();
    const index = new MeshIndex(objects);
    try {
      checkVirtualServices(index, found.report);
      checkGateways(index, found.report, mesh.istioVersion);
      checkServicesAndNamespaces(index, found.report);
      checkSecurity(index, found.report);
      checkPolicies(index, found.report, mesh);
      const declared = (mode: DataPlaneMode) => DataPlane._declaredAs(this.root, mode);
      checkAmbient(index, found.report, declared(DataPlaneMode.AMBIENT), declared(DataPlaneMode.SIDECAR));
      checkKubernetesObjects(index, found.record);
      checkEnvoyFilters(index, found.report);
      checkComposition(index, found.report);
    } catch (e: any) {
      if (!(e instanceof TypeError)) throw e;
      if (speculative) return undefined;
      if (this.istioValidation && process.env[VALIDATION_SWITCH_ENV] !== 'off') throw e;
      throw new Error(`The mesh analysis could not read an object whose fields have the wrong type (${e.message}). Istio's validation, which is off, would name it: `
        + 'turn it on (MeshAnalyzer.of(app).istioValidation = true, CDK8S_ISTIO_VALIDATION unset).');
    }
    return found;
  }

  /** Findings with two ways in: `record` always keeps one, `report` honours suppressions. */
  private collector(): Collector {
    const list: Finding[] = [];
    const seen = new Set<string>();
    const record: Report = (o, code, severity, message) => {
      const key = `${code}|${o.path}|${message}`;
      if (seen.has(key)) return; // e.g. two routes to the same missing subset
      seen.add(key);
      list.push({ code, severity, resource: resourceName(o), path: o.path, message });
    };
    const report: Report = (o, code, severity, message) => {
      if (this.suppressed.has(code)) return;
      const suppress = String(o.json.metadata?.annotations?.[SUPPRESS_ANNOTATION] ?? '').split(',').map(s => s.trim());
      if (suppress.includes(code) || suppress.includes('*')) return;
      record(o, code, severity, message);
    };
    return { list, record, report };
  }

  /** The cdk8s validation hook: errors (and warnings with failOnWarnings) fail synthesis; warnings go to stderr. */
  public validate(): string[] {
    if (!this.enabled) return [];
    const fresh = !(this.last && isRevalidationWithinSynth());
    const findings = fresh ? this.analyze() : this.last!;
    this.last = findings;
    const errors: string[] = [];
    for (const f of findings) {
      const line = `${f.code} ${f.resource} ('${f.path}'): ${f.message}`;
      if (f.severity === FindingSeverity.ERROR || this.failOnWarnings) errors.push(line);
      else if (fresh) process.stderr.write(`warning: ${line}\n`);
    }
    return errors;
  }
}

function resourceName(o: IndexedObject): string {
  return `${o.json.kind} ${o.namespace}/${o.json.metadata?.name}`;
}

interface Collector {
  readonly list: Finding[];
  readonly record: Report;
  readonly report: Report;
}

/** Istio's verdict on each judged object: errors always (not suppressible), warnings as suppressible findings. Returns the rejected objects. */
function reportVerdicts(
  judged: IndexedObject[], results: ValidationResult[], findings: Collector, gatewayApi: TrafficApi, istioRelease: string): Set<IndexedObject> {
  const rejected = new Set<IndexedObject>();
  judged.forEach((o, i) => {
    if (results[i].errors.length) rejected.add(o);
    for (const message of results[i].errors) {
      if (message.startsWith(SCHEMA_PREFIX)) {
        const schema = String(o.json.apiVersion).startsWith('gateway.networking.k8s.io/') ? `${gatewayApi.describe()} CRD schema` : `Istio ${istioRelease} CRD schema`;
        findings.record(o, 'CDK8SISTIO004', FindingSeverity.ERROR,
          `the Kubernetes API server would reject it or silently drop fields (${schema}): ${message.slice(SCHEMA_PREFIX.length)}`);
      } else {
        findings.record(o, 'IST0106', FindingSeverity.ERROR, `Istio's validation rejects it: ${message}`);
      }
    }
    for (const message of results[i].warnings) findings.report(o, 'IST0106', FindingSeverity.WARNING, `Istio's validation warns: ${message}`);
  });
  return rejected;
}

// Every app with Istio objects is analyzed: the resource layer announces each one (it does not import this layer).
onIstioResourceCreated(resource => MeshAnalyzer.of(resource));
