import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { errorMessage } from './errors';
import { PACKAGE_ROOT } from './package-root';

/**
 * Shape checks of what a caller passes, driven by the jsii assembly (`.jsii`, the
 * type information jsii writes for every public API and ships in the package).
 * TypeScript callers are checked by the compiler; JavaScript callers are not, and
 * a plain string where a `StringMatch` belongs, or a missing required prop, would
 * otherwise surface as a TypeError from deep inside a construct, or be ignored.
 */

const ASSEMBLY = 'cdk8s-istio';

interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { kind: 'array' | 'map'; elementtype: TypeRef };
  readonly union?: { types: TypeRef[] };
}
interface Parameter { readonly name: string; readonly type: TypeRef; readonly optional?: boolean; readonly variadic?: boolean }
interface Callable { readonly name?: string; readonly parameters?: Parameter[]; readonly static?: boolean }
interface Property { readonly name: string; readonly type: TypeRef; readonly optional?: boolean }
interface TypeInfo {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly name: string;
  readonly datatype?: boolean;
  readonly initializer?: Callable;
  readonly methods?: Callable[];
  readonly properties?: Property[];
  readonly interfaces?: string[];
  readonly members?: Array<{ name: string }>;
}

// Assemblies whose structs we check deeply: ours and the small ones of cdk8s core
// (ApiObjectMetadata, Duration). cdk8s-plus' assembly is large and we only take its
// classes, which are checked with instanceof.
const DEEP = new Set([ASSEMBLY, 'cdk8s', 'constructs']);
const assemblies = new Map<string, { [fqn: string]: TypeInfo }>();

function loadAssembly(pkg: string): { [fqn: string]: TypeInfo } {
  let types = assemblies.get(pkg);
  if (!types) {
    types = {};
    try {
      // Ours sits at the package root both in a checkout (src/, lib/) and in the npm package.
      const file = pkg === ASSEMBLY ? path.join(PACKAGE_ROOT, '.jsii') : require.resolve(`${pkg}/.jsii`);
      types = JSON.parse(fs.readFileSync(file, 'utf8')).types ?? {};
    } catch {
      // no assembly: only runtime checks (instanceof) apply
    }
    assemblies.set(pkg, types!);
  }
  return types!;
}

function typeInfo(fqn: string): TypeInfo | undefined {
  const pkg = fqn.split('.')[0];
  return DEEP.has(pkg) ? loadAssembly(pkg)[fqn] : undefined;
}

/** The runtime value (class or enum object) behind a jsii FQN, or undefined. */
const runtimes = new Map<string, any>();
function runtimeOf(fqn: string): any {
  if (!runtimes.has(fqn)) {
    const [pkg, ...names] = fqn.split('.');
    let value: any;
    try {
      // Our own module is loaded lazily, by the same path the caller's import took.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      value = names.reduce((o, n) => o?.[n], pkg === ASSEMBLY ? require('../index') : require(pkg));
    } catch {
      value = undefined;
    }
    runtimes.set(fqn, value);
  }
  return runtimes.get(fqn);
}

/** How a value reads in an error message. */
function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string '${value.length > 60 ? value.slice(0, 57) + '...' : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (Array.isArray(value)) return 'an array';
  const ctor = (value as any).constructor;
  if (ctor && ctor !== Object && ctor.name) return `a ${ctor.name}`;
  return 'a plain object';
}

/** How a type reads in an error message: `a StringMatch (StringMatch.exact/prefix/regex)`. */
function showType(ref: TypeRef): string {
  if (ref.primitive) {
    return ({ string: 'a string', number: 'a number', boolean: 'true or false', date: 'a Date', json: 'a JSON object', any: 'a value' } as any)[ref.primitive] ?? ref.primitive;
  }
  if (ref.collection) return `${ref.collection.kind === 'array' ? 'an array' : 'a map'} of ${plural(showType(ref.collection.elementtype))}`;
  if (ref.union) return ref.union.types.map(showType).join(' or ');
  const fqn = ref.fqn!;
  if (fqn === 'constructs.IConstruct') return 'a construct (a cdk8s-plus resource of any version, an imported Kube* object or an ApiObject)';
  const [pkg] = fqn.split('.');
  const name = fqn.slice(pkg.length + 1);
  const info = typeInfo(fqn);
  const origin = pkg === ASSEMBLY ? '' : ` (${pkg})`;
  if (info?.kind === 'class') {
    const factories = (info.methods ?? []).filter(m => m.static && m.name && !m.name.startsWith('is')).map(m => m.name);
    return `a ${name}${origin}${factories.length ? ` (${name}.${factories.join('/')})` : ''}`;
  }
  if (info?.kind === 'enum') {
    // JavaScript callers may pass the wire value itself: show it beside each member.
    const runtime = runtimeOf(fqn) ?? {};
    return `one of ${(info.members ?? []).map(m => `${name}.${m.name}${runtime[m.name] !== m.name ? ` ('${runtime[m.name]}')` : ''}`).join(', ')}`;
  }
  return `a ${name}${origin}`;
}

function plural(s: string): string {
  return s.replace(/^an? /, '').replace(/^(\w+)/, '$1s');
}

/** Returns the first mismatch of `value` against `ref`, as `[where, message]`, or undefined. */
function mismatch(value: unknown, ref: TypeRef, where: string): [string, string] | undefined {
  const wrong = (): [string, string] => [where, `must be ${showType(ref)}, got ${showValue(value)}`];
  if (ref.primitive) {
    switch (ref.primitive) {
      case 'string': return typeof value === 'string' ? undefined : wrong();
      case 'number': return typeof value === 'number' && !Number.isNaN(value) ? undefined : wrong();
      case 'boolean': return typeof value === 'boolean' ? undefined : wrong();
      case 'date': return value instanceof Date ? undefined : wrong();
      case 'json': return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : wrong();
      default: return undefined; // any
    }
  }
  if (ref.collection) {
    const element = ref.collection.elementtype;
    if (ref.collection.kind === 'array') {
      if (!Array.isArray(value)) return wrong();
      for (let i = 0; i < value.length; i++) {
        const m = mismatch(value[i], element, `${where}[${i}]`);
        if (m) return m;
      }
      return undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return wrong();
    for (const [k, v] of Object.entries(value)) {
      const m = mismatch(v, element, `${where}['${k}']`);
      if (m) return m;
    }
    return undefined;
  }
  if (ref.union) {
    return ref.union.types.some(t => !mismatch(value, t, where)) ? undefined : wrong();
  }
  const fqn = ref.fqn!;
  const info = typeInfo(fqn);
  if (info?.kind === 'interface' && info.datatype) return structMismatch(value, fqn, where);
  if (info?.kind === 'enum') {
    const values = Object.values(runtimeOf(fqn) ?? {});
    return values.length === 0 || values.includes(value) ? undefined : wrong();
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return wrong();
  if (info?.kind === 'interface') {
    // A behavioral interface (IConstruct): what it promises must be there.
    const missing = struct(fqn).props.find(p => !p.optional && !((p.name in (value as any))));
    return missing ? [where, `must be ${showType(ref)}, got ${showValue(value)} (it has no '${missing.name}')`] : undefined;
  }
  if (info?.kind === 'class' || !info) {
    const cls = runtimeOf(fqn);
    // Interfaces of other packages (IConstruct, IPodSelector) and types we cannot load pass as objects.
    if (typeof cls === 'function' && !(value instanceof cls)) {
      return [where, `must be ${showType(ref)}, got ${showValue(value)}${sameNameElsewhere(value, cls)}`];
    }
  }
  return undefined;
}

/** A hint when the value is a class of the same name from another package or copy (another cdk8s's Duration, say). */
function sameNameElsewhere(value: any, cls: any): string {
  for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (p.constructor?.name === cls.name) return ` of another package or copy than the one this library was installed with: pass a ${cls.name} from that package`;
  }
  return '';
}

// Checked once per construction, so a struct's properties (with those it inherits) are collected once.
const structs = new Map<string, { props: Property[]; known: Set<string> }>();
function struct(fqn: string): { props: Property[]; known: Set<string> } {
  let s = structs.get(fqn);
  if (!s) {
    const info = typeInfo(fqn);
    const props = info ? [...(info.properties ?? []), ...(info.interfaces ?? []).flatMap(i => struct(i).props)] : [];
    s = { props, known: new Set(props.map(p => p.name)) };
    structs.set(fqn, s);
  }
  return s;
}

function structMismatch(value: unknown, fqn: string, where: string): [string, string] | undefined {
  const name = fqn.split('.').slice(1).join('.');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [where, `must be an object (${name}), got ${showValue(value)}`];
  }
  const { props, known } = struct(fqn);
  if (props.length === 0) return undefined;
  for (const key of Object.keys(value)) {
    if (!known.has(key) && (value as any)[key] !== undefined) {
      const close = [...known].find(k => k.toLowerCase() === key.toLowerCase());
      return [`${where}.${key}`, `is not a property of ${name}${close ? ` (did you mean '${close}'?)` : ''}; it would be ignored. Known: ${[...known].sort().join(', ')}`];
    }
  }
  for (const p of props) {
    const v = (value as any)[p.name];
    if (v === undefined) {
      if (!p.optional) return [`${where}.${p.name}`, `is required (${showType(p.type)})`];
      continue;
    }
    const m = mismatch(v, p.type, `${where}.${p.name}`);
    if (m) return m;
  }
  return undefined;
}

function checkParameters(callable: Callable | undefined, args: ArrayLike<unknown>, skip: number): [string, string] | undefined {
  const params = callable?.parameters ?? [];
  for (let i = skip; i < params.length; i++) {
    const p = params[i];
    const values = p.variadic ? Array.from(args).slice(i) : [args[i]];
    for (const [j, v] of values.entries()) {
      const where = p.variadic ? `${p.name}[${j}]` : p.name;
      if (v === undefined) {
        if (p.optional || p.variadic) continue;
        return [where, `is required (${showType(p.type)}), got ${showValue(v)}`];
      }
      if (v === null) {
        // jsii languages pass "nothing" as undefined; only JavaScript can pass null.
        return [where, p.optional ? `must be ${showType(p.type)} or left out, got null` : `is required (${showType(p.type)}), got null`];
      }
      const m = mismatch(v, p.type, where);
      if (m) return m;
    }
  }
  return undefined;
}

/**
 * Checks a constructor's arguments after `scope` and `id` (the props) against the
 * jsii assembly, and throws naming the construct, the prop, the value and the
 * expected type.
 * @internal
 */
export function checkProps(construct: IConstruct, className: string, props: unknown): void {
  const init = typeInfo(`${ASSEMBLY}.${className}`)?.initializer;
  const m = checkParameters(init, [undefined, undefined, props], 2);
  if (m) throw new Error(errorMessage(construct, `${m[0]} ${m[1]}.`));
}

/**
 * Checks the arguments of a method (instance or static) against the jsii
 * assembly. `on` is the construct for instance methods, or undefined for statics.
 * @internal
 */
export function checkArguments(on: IConstruct | undefined, className: string, method: string, args: ArrayLike<unknown>): void {
  const info = typeInfo(`${ASSEMBLY}.${className}`);
  const callable = info?.methods?.find(x => x.name === method);
  const m = checkParameters(callable, args, 0);
  if (!m) return;
  throw new Error(on ? errorMessage(on, `${method}(): ${m[0]} ${m[1]}.`) : `${className}.${method}(): ${m[0]} ${m[1]}.`);
}
