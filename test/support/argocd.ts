import { execFileSync } from 'child_process';
import * as path from 'path';

let cached: string | null | undefined;

/**
 * The directory holding Argo CD's argocd-cmp-server and cmp-repo-client (built once by
 * scripts/argocd.sh), or undefined when they cannot be had here. In CI a missing build is
 * an error, never a skip.
 */
export function argoCdPluginTools(): string | undefined {
  if (cached !== undefined) return cached ?? undefined;
  try {
    cached = execFileSync('bash', [path.join(__dirname, '..', '..', 'scripts', 'argocd.sh')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (e) {
    if (process.env.CI) throw new Error(`Argo CD's plugin server is required in CI: ${e}`);
    cached = null;
  }
  return cached ?? undefined;
}

/** `test` when Argo CD's plugin server is available, otherwise a skipped test (never in CI). */
export function withArgoCd(): jest.It {
  return argoCdPluginTools() ? test : test.skip;
}
