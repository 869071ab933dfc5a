import { execFileSync } from 'child_process';
import * as path from 'path';

const found = new Map<string, string | null>();

/**
 * What `scripts/<script>` prints (the path of a tool it builds once into a cache outside the
 * repo), or undefined when it cannot be had here. In CI a missing tool is an error, never a skip.
 */
export function builtTool(script: string): string | undefined {
  if (!found.has(script)) {
    try {
      found.set(script, execFileSync('bash', [path.join(__dirname, '..', '..', 'scripts', script)], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }).trim());
    } catch (e) {
      if (process.env.CI) throw new Error(`scripts/${script} is required in CI: ${e}`);
      found.set(script, null);
    }
  }
  return found.get(script) ?? undefined;
}
