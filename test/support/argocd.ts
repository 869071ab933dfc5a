import { builtTool } from './built-tool';

/**
 * The directory holding Argo CD's argocd-cmp-server and cmp-repo-client (built once by
 * scripts/argocd.sh), or undefined when they cannot be had here (never in CI).
 */
export function argoCdPluginTools(): string | undefined {
  return builtTool('argocd.sh');
}

/** `test` when Argo CD's plugin server is available, otherwise a skipped test (never in CI). */
export function withArgoCd(): jest.It {
  return argoCdPluginTools() ? test : test.skip;
}
