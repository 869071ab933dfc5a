import { IConstruct } from 'constructs';
import { fail } from './errors';

/** Checks a 0–100 percentage. @internal */
export function checkPercent(scope: IConstruct, prop: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    fail(scope, `${prop} must be a percentage between 0 and 100, got ${value}.`);
  }
  return value;
}

/** Istio's `Percent` message: `{ value: n }`. @internal */
export function renderPercent(scope: IConstruct, prop: string, value: number | undefined): { value: number } | undefined {
  const checked = checkPercent(scope, prop, value);
  return checked === undefined ? undefined : { value: checked };
}

/** Checks a port number. @internal */
export function checkPort(scope: IConstruct, prop: string, port: number | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(scope, `${prop} must be a port number between 1 and 65535, got ${port}.`);
  }
  return port;
}
