import { IConstruct } from 'constructs';

/**
 * Throws a synth-time error that names the construct (kind and path), so the
 * user can find the line that produced the bad value.
 *
 * `message` should say which prop, which value and how to fix it.
 * @internal
 */
export function fail(scope: IConstruct, message: string): never {
  throw new Error(`${describe(scope)}: ${message}`);
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
