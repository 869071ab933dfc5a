import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './errors';

const UNITS: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1]];

/**
 * The one place a cdk8s `Duration` becomes an Istio duration string.
 *
 * Uses the largest whole unit (`90s` → `90s`, `120s` → `2m`) so output reads like
 * Istio's own docs; Istio rejects sub-millisecond durations, so we do too.
 * @internal
 */
export function istioDuration(scope: IConstruct, prop: string, duration: Duration): string;
export function istioDuration(scope: IConstruct, prop: string, duration: Duration | undefined): string | undefined;
export function istioDuration(scope: IConstruct, prop: string, duration: Duration | undefined): string | undefined {
  if (duration === undefined) return undefined;
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < 1) {
    fail(scope, `${prop} must be a whole number of milliseconds of at least 1ms, got ${ms}ms. Use Duration.millis(n) with n >= 1.`);
  }
  for (const [unit, size] of UNITS) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
