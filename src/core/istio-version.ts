import * as path from 'path';
import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { errorMessage, show } from './errors';
import { PACKAGE_ROOT } from './package-root';
import { addSynthCheck } from './synth-checks';

/**
 * The Istio minor releases this library renders for, each with the patch release whose CRDs
 * it carries (crds/istio-<patch>.json; Istio changes no CRD within a minor release).
 */
const CARRIED: { [minor: string]: string } = { '1.30': '1.30.3', '1.31': '1.31.4' };
const DEFAULT_VERSION = '1.31.4';
const READERS = Symbol.for('cdk8s-istio.IstioVersion.readers');
const REQUIRED = Symbol.for('cdk8s-istio.IstioVersion.required');

interface Reader { readonly version: string; readonly who: string; readonly declared: boolean }

/**
 * The Istio release an app's configuration is written for: the oldest istiod that reads it.
 * Each `IstioControlPlane` in the app counts (during a canary upgrade, both revisions read
 * every object), and so does each `IstioVersion.declare()` for a control plane installed
 * outside the app; with neither, Istio 1.31.4. It holds for the whole app (one cluster's
 * istiod reads every chart), whichever construct of the app is passed. CRD schema checks use that release's CRDs,
 * and a field newer than it (e.g. a DestinationRule's `zoneAwareLbSetting`, Istio 1.31) is a
 * synth error, where the older istiod would ignore it.
 *
 * @example
 * declare const app: App;
 *
 * // istiod 1.30 runs in the cluster, installed by another repository.
 * IstioVersion.declare(app, '1.30.3');
 */
export class IstioVersion {
  /** The release an app targets when nothing in it says otherwise. */
  public static readonly DEFAULT = DEFAULT_VERSION;

  /** The minor releases this library renders for (`1.30`, `1.31`). */
  public static get supportedMinors(): string[] {
    return Object.keys(CARRIED);
  }

  /** Declares the version of an istiod installed outside `scope`'s app that reads the app's configuration. */
  public static declare(scope: IConstruct, version: string): void {
    checkArguments(undefined, 'IstioVersion', 'declare', arguments);
    const problem = IstioVersion._problem(version);
    if (problem) throw new Error(`IstioVersion.declare(): ${problem}`);
    readers(scope).push({ version, who: `IstioVersion.declare(${show(version)})`, declared: true });
  }

  /** The release `scope`'s app targets: the oldest istiod version that reads it. */
  public static of(scope: IConstruct): string {
    checkArguments(undefined, 'IstioVersion', 'of', arguments);
    return oldest(scope)?.version ?? DEFAULT_VERSION;
  }

  /** What is wrong with `version` as an Istio release this library renders for, if anything. @internal */
  public static _problem(version: unknown): string | undefined {
    if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) return `version must be an Istio release like '${DEFAULT_VERSION}', got ${show(version)}.`;
    if (CARRIED[IstioVersion._minor(version)]) return undefined;
    return `version ${show(version)} is not a release this library renders for; it carries the CRDs and fields of Istio ${Object.keys(CARRIED).join(' and ')}. `
      + 'Upgrade to one of them (for an older istiod, use an older cdk8s-istio).';
  }

  /** Records an istiod of `version` that reads the app's configuration (`who` names it in messages). @internal */
  public static _register(scope: IConstruct, version: string, who: string): void {
    readers(scope).push({ version, who, declared: false });
  }

  /**
   * Fails at synth when the app targets a release older than `minor`, which `feature` (a
   * prop path of `owner`) needs: that istiod would ignore it. `value` is the user's object
   * that sets it: checked once, where it is first rendered (an intent checks its props in its
   * own terms before the objects it renders, e.g. a DestinationRule per version, hold them). @internal
   */
  public static _require(owner: IConstruct, minor: string, feature: string, value: unknown): void {
    const root = owner.node.root as any;
    if (!root[REQUIRED]) Object.defineProperty(root, REQUIRED, { value: new WeakSet<object>() });
    if (typeof value === 'object' && value !== null) {
      if (root[REQUIRED].has(value)) return;
      root[REQUIRED].add(value);
    }
    addSynthCheck(owner, () => {
      const reader = oldest(owner);
      if (!reader || IstioVersion._atLeast(reader.version, minor)) return [];
      return [errorMessage(owner, `${feature} needs Istio ${minor} or later, but ${reader.who} runs Istio ${reader.version}, which ignores it. `
        + `Upgrade ${reader.declared ? 'that istiod' : 'that control plane'} to ${CARRIED[minor]}, or remove ${feature}.`)];
    });
  }

  /** The minor release of `version` ('1.31.4' → '1.31'). @internal */
  public static _minor(version: string): string {
    return version.split('.').slice(0, 2).join('.');
  }

  /** Whether the release `version` is `minor` (e.g. '1.31') or later. @internal */
  public static _atLeast(version: string, minor: string): boolean {
    return compare(version, `${minor}.0`) >= 0;
  }

  /** The package's CRD file of the release `version` belongs to. @internal */
  public static _crdFile(version: string): string {
    return path.join(PACKAGE_ROOT, 'crds', `istio-${IstioVersion._crdRelease(version)}.json`);
  }

  /** The carried release whose CRDs judge config for `version` (same minor; `version` passed `_problem`). @internal */
  public static _crdRelease(version: string): string {
    const carried = CARRIED[IstioVersion._minor(version)];
    if (!carried) throw new Error(`cdk8s-istio: no CRDs carried for Istio ${version}`);
    return carried;
  }

  private constructor() {}
}

/** Compares two x.y.z releases numerically. */
function compare(a: string, b: string): number {
  const [x, y] = [a, b].map(v => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function readers(scope: IConstruct): Reader[] {
  const root = scope.node.root as any;
  if (!root[READERS]) Object.defineProperty(root, READERS, { value: [] });
  return root[READERS];
}

function oldest(scope: IConstruct): Reader | undefined {
  return [...readers(scope)].sort((a, b) => compare(a.version, b.version))[0];
}
