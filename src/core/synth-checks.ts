import * as path from 'path';
import { Construct, IConstruct, IValidation } from 'constructs';

const REGISTRY = Symbol.for('cdk8s-istio.SynthChecks');

/**
 * Whether this validation pass is one cdk8s makes per chart inside an App.synth() or
 * synthYaml() call, which validated the whole app first (nothing runs in between that
 * could change it). Read from the call stack, so nothing of the App or its objects is
 * replaced. Should the frames be unnamed (a minified bundle), every pass counts as
 * new: slower, never stale.
 * @internal
 */
export function isRevalidationWithinSynth(): boolean {
  // Its _synthChart() under its synth()/synthYaml(), not Testing.synth(chart) or a user's synth().
  const frames = cdk8sAppFrames();
  return frames.some(f => /\._synthChart \(/.test(f)) && frames.some(f => /\.(synth|synthYaml) \(/.test(f));
}

/**
 * Whether cdk8s is validating or synthesizing the app (its validate() or _synthChart() is on the
 * stack): the app is complete then, and nothing changes it until the pass ends.
 * @internal
 */
export function isWithinCdk8sPass(): boolean {
  return cdk8sAppFrames().some(f => /(\._synthChart|at validate) \(/.test(f));
}

/** Frames of cdk8s' own app module (lib/app.js, or src/app.ts where source maps apply), whatever the App subclass. */
function cdk8sAppFrames(): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack.split('\n').filter(f => CDK8S_APP_FILES.some(file => f.includes(`(${file}:`)));
}

const PASS_MEMO = Symbol.for('cdk8s-istio.passMemo');

/**
 * `compute()`, remembered under `key` for the rest of a cdk8s validation or synthesis pass (the
 * app is complete and unchanging then); outside one, `outside()` (by default `compute()`) every
 * time. A pass that is not a per-chart revalidation inside one App.synth() starts afresh, so
 * nothing is stale after a change.
 * @internal
 */
export function passMemo<T>(scope: IConstruct, key: string, compute: () => T, outside: () => T = compute): T {
  const root = scope.node.root as any;
  if (!root[PASS_MEMO]) {
    Object.defineProperty(root, PASS_MEMO, { value: { map: new Map<string, unknown>() } });
    // The root is validated first in every pass (cdk8s walks the tree in pre-order).
    scope.node.root.node.addValidation({ validate: () => { if (!isRevalidationWithinSynth()) root[PASS_MEMO].map = new Map(); return []; } });
  }
  if (!isWithinCdk8sPass()) return outside();
  const memo: Map<string, unknown> = root[PASS_MEMO].map;
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

/** cdk8s' app module as stack frames name it, compiled or source-mapped. */
const CDK8S_APP_FILES = (() => {
  try {
    const lib = path.dirname(require.resolve('cdk8s/lib/app.js'));
    return [path.join(lib, 'app.js'), path.join(path.dirname(lib), 'src', 'app.ts')];
  } catch {
    return []; // not resolvable from here: every pass counts as new
  }
})();

/**
 * Adds a check of the whole app that needs the app complete (e.g. what a Service
 * selects once every `select()` call is made). All such checks run in one
 * validation, once per synth; the passes cdk8s repeats per chart reuse its result.
 * Each message should name the construct it is about.
 * @internal
 */
export function addSynthCheck(scope: IConstruct, check: () => string[]): void {
  const root = scope.node.root as any;
  if (!root[REGISTRY]) {
    const checks = new SynthChecks();
    Object.defineProperty(root, REGISTRY, { value: checks });
    // A child of its own, so cdk8s prefixes the errors with '[IntentChecks]' (the root's path is empty).
    new Construct(root, 'IntentChecks').node.addValidation(checks);
  }
  (root[REGISTRY] as SynthChecks).checks.push(check);
}

class SynthChecks implements IValidation {
  public readonly checks: Array<() => string[]> = [];
  private last?: string[];

  public validate(): string[] {
    if (this.last && isRevalidationWithinSynth()) return this.last;
    this.last = this.checks.flatMap(c => c());
    return this.last;
  }
}
