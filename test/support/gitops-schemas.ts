import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Validates Argo CD / Flux / Prometheus-operator objects against their published schemas
 * (@kubernetes-models, ESM-only, so through a child process). Returns one
 * message per invalid object.
 */
export function gitOpsSchemaErrors(objects: any[]): string[] {
  try {
    execFileSync('node', [path.join(__dirname, 'validate-gitops-models.mjs')], { input: JSON.stringify(objects), encoding: 'utf-8' });
    return [];
  } catch (e: any) {
    if (e.status !== 1) throw e;
    return String(e.stdout).trim().split('\n');
  }
}
