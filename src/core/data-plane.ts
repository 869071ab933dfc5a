import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { describe, show } from './errors';
import { isDns1123Label } from './names';
import { addSynthCheck } from './synth-checks';

/** How pods of a namespace join the mesh. */
export enum DataPlaneMode {
  /** An Envoy sidecar in every pod: selector-based policies and VirtualServices apply at the pod. */
  SIDECAR = 'SIDECAR',
  /** Ambient: ztunnel on each node (L4 only); HTTP routing and policy need a waypoint. */
  AMBIENT = 'AMBIENT',
}

const DECLARED = Symbol.for('cdk8s-istio.DataPlane.declared');
const ANSWERS = Symbol.for('cdk8s-istio.DataPlane.answers');
const NAMESPACES = Symbol.for('cdk8s-istio.DataPlane.namespaces');

interface Answer { readonly asker: IConstruct; readonly mode: DataPlaneMode }

/**
 * The data plane each namespace runs, which every intent renders for. It is read from the
 * namespace's enrolment when the app holds its Namespace object (`istio.io/dataplane-mode:
 * ambient`, e.g. from `IstioControlPlane.enrolNamespace()` with the AMBIENT profile), else
 * from a declaration (a namespace enrolled outside this app), else it is SIDECAR.
 *
 * Intents render when they are created: enrol or declare a namespace before adding intents
 * to it. An enrolment that changes a namespace's data plane after an intent rendered for it
 * is a synth error naming both.
 *
 * @example
 * declare const app: App;
 *
 * // The namespace is enrolled in ambient mode by another repository.
 * DataPlane.declare(app, 'bookinfo', DataPlaneMode.AMBIENT);
 */
export class DataPlane {
  /** Declares the data plane of a namespace whose Namespace object is not in this app. */
  public static declare(scope: IConstruct, namespace: string, mode: DataPlaneMode): void {
    checkArguments(undefined, 'DataPlane', 'declare', arguments);
    if (!isDns1123Label(namespace)) throw new Error(`DataPlane.declare(): namespace ${show(namespace)} is not a namespace name (DNS-1123 label).`);
    const declared = declarations(scope);
    const earlier = declared.get(namespace);
    if (earlier && earlier !== mode) throw new Error(`DataPlane.declare(): namespace ${show(namespace)} is already declared ${earlier}; declare it once.`);
    const asked = answers(scope).get(namespace)?.find(a => a.mode !== mode);
    if (asked) {
      throw new Error(`DataPlane.declare(): ${describe(asked.asker)} already rendered for namespace ${show(namespace)} as ${asked.mode}; `
        + 'declare data planes before adding intents.');
    }
    declared.set(namespace, mode);
  }

  /** The data plane of `namespace` in `scope`'s app (its Namespace object's enrolment, else its declaration, else SIDECAR). */
  public static of(scope: IConstruct, namespace: string): DataPlaneMode {
    checkArguments(undefined, 'DataPlane', 'of', arguments);
    return modeOf(scope, namespace, true);
  }

  /**
   * The data plane `asker` renders for; checked again at synth, so a later enrolment that
   * changes it is an error rather than config for the wrong data plane. @internal
   */
  public static _renderFor(asker: IConstruct, namespace: string | undefined): DataPlaneMode {
    const ns = namespace ?? Chart.of(asker).namespace ?? 'default';
    const mode = modeOf(asker, ns);
    const all = answers(asker);
    if (!all.size) addSynthCheck(asker, () => stale(asker));
    all.set(ns, [...all.get(ns) ?? [], { asker, mode }]);
    return mode;
  }

  /** The namespaces declared (not enrolled in this app) with `mode`. @internal */
  public static _declaredAs(scope: IConstruct, mode: DataPlaneMode): Set<string> {
    return new Set([...declarations(scope)].filter(([, m]) => m === mode).map(([ns]) => ns));
  }

  /**
   * The app's Namespace object named `namespace`, if it holds one. Found once per namespace (a
   * walk of the app per intent would make synth quadratic); one added after that is caught at
   * synth, like an enrolment after an intent, by the walk of the app `stale()` makes. @internal
   */
  public static _namespaceObject(scope: IConstruct, namespace: string, fresh = false): ApiObject | undefined {
    const root = scope.node.root as any;
    if (!root[NAMESPACES]) Object.defineProperty(root, NAMESPACES, { value: new Map() });
    const known: Map<string, ApiObject | undefined> = root[NAMESPACES];
    if (!fresh && known.has(namespace)) return known.get(namespace);
    const found = scope.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'Namespace');
    for (const o of found) if (!known.get(o.name)) known.set(o.name, o);
    if (!known.has(namespace)) known.set(namespace, undefined);
    return known.get(namespace);
  }
}

function modeOf(scope: IConstruct, namespace: string, fresh = false): DataPlaneMode {
  const object = DataPlane._namespaceObject(scope, namespace, fresh);
  if (object) return labelledMode(object);
  return declarations(scope).get(namespace) ?? DataPlaneMode.SIDECAR;
}

/** Answers the app no longer gives: the namespace was enrolled (or its object added) after an intent rendered. */
function stale(scope: IConstruct): string[] {
  const errors: string[] = [];
  const declared = declarations(scope);
  // One walk of the complete app for every namespace asked about.
  const objects = new Map<string, ApiObject>();
  for (const c of scope.node.root.node.findAll()) {
    if (c instanceof ApiObject && c.kind === 'Namespace' && !objects.has(c.name)) objects.set(c.name, c);
  }
  for (const [namespace, list] of answers(scope)) {
    const object = objects.get(namespace);
    const now = object ? labelledMode(object) : declared.get(namespace) ?? DataPlaneMode.SIDECAR;
    if (object && declared.has(namespace) && declared.get(namespace) !== now) {
      errors.push(`DataPlane: namespace ${show(namespace)} is declared ${declared.get(namespace)}, but its Namespace object '${object.node.path}' is enrolled ${now}. Remove the declaration.`);
    }
    const first = list.find(a => a.mode !== now);
    if (first) {
      errors.push(`${describe(first.asker)}: rendered for namespace ${show(namespace)} as ${first.mode}, but the namespace is ${now} by the end of the program `
        + '(enrolled after the intent was added). Enrol or declare namespaces before adding intents to them.');
    }
  }
  return errors;
}

function labelledMode(namespace: ApiObject): DataPlaneMode {
  return namespace.metadata.getLabel('istio.io/dataplane-mode') === 'ambient' ? DataPlaneMode.AMBIENT : DataPlaneMode.SIDECAR;
}

function declarations(scope: IConstruct): Map<string, DataPlaneMode> {
  const root = scope.node.root as any;
  if (!root[DECLARED]) Object.defineProperty(root, DECLARED, { value: new Map() });
  return root[DECLARED];
}

function answers(scope: IConstruct): Map<string, Answer[]> {
  const root = scope.node.root as any;
  if (!root[ANSWERS]) Object.defineProperty(root, ANSWERS, { value: new Map() });
  return root[ANSWERS];
}
