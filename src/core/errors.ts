import { IConstruct } from 'constructs';

const REPORTS_FOR_CHILDREN = Symbol.for('cdk8s-istio.reportsForChildren');

/**
 * Marks an intent whose rendered children report their errors in its name: the
 * user wrote the intent, not the VirtualService it generates.
 * @internal
 */
export function reportChildErrorsAsOwn(intent: IConstruct): void {
  Object.defineProperty(intent, REPORTS_FOR_CHILDREN, { value: true });
}

/**
 * Throws a synth-time error that names the construct (kind and path), so the
 * user can find the line that produced the bad value. Errors of an object an
 * intent renders name the intent, and the object as where Istio's field sits.
 *
 * `message` should say which prop, which value and how to fix it.
 * @internal
 */
export function fail(scope: IConstruct, message: string): never {
  throw new Error(errorMessage(scope, message));
}

/** `Kind 'path': message`, attributed to the intent that rendered `scope` when there is one. @internal */
export function errorMessage(scope: IConstruct, message: string): string {
  const intent = scope.node.scopes.find(s => s !== scope && (s as any)[REPORTS_FOR_CHILDREN]);
  if (!intent) return `${describe(scope)}: ${message}`;
  const where = message.endsWith('.') ? message.slice(0, -1) : message;
  return `${describe(intent)}: ${where} (in the ${scope.constructor.name} it renders, '${scope.node.path}').`;
}

/** `CanaryRelease 'shop/reviews'` — the kind and path used in every message. @internal */
export function describe(scope: IConstruct): string {
  return `${scope.constructor.name} '${scope.node.path}'`;
}

/** Renders a value for an error message, quoting strings. @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}
