import { execFileSync } from 'child_process';
import * as path from 'path';

let cached: string | null | undefined;

/**
 * The istioctl binary (built once by scripts/istioctl.sh), or undefined when it
 * cannot be had here. In CI a missing istioctl is an error, never a skip.
 */
export function istioctl(): string | undefined {
  if (cached !== undefined) return cached ?? undefined;
  try {
    cached = execFileSync('bash', [path.join(__dirname, '..', '..', 'scripts', 'istioctl.sh')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (e) {
    if (process.env.CI) throw new Error(`istioctl is required in CI: ${e}`);
    cached = null;
  }
  return cached ?? undefined;
}

/** `test` when istioctl is available, otherwise a skipped test (never in CI). */
export function withIstioctl(): jest.It {
  return istioctl() ? test : test.skip;
}
