#!/usr/bin/env node
/**
 * cdk8s-istio-render: synthesizes the cdk8s app in the current directory and prints
 * every object as one multi-document YAML stream on stdout (a `---` between every
 * document, across all charts; Namespaces and CRDs first). Meant for Argo CD's config-management plugin:
 * nothing but manifests on stdout; diagnostics on stderr; non-zero exit when the
 * app fails (e.g. a validation error) or produces no objects.
 *
 *   cdk8s-istio-render [--app "<command>"]     (default: `app` from ./cdk8s.yaml)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

class RenderError extends Error {}

function appCommand(dir: string, argv: string[]): string {
  const flag = argv.indexOf('--app');
  if (flag >= 0) {
    if (!argv[flag + 1]) throw new RenderError('--app needs a command, e.g. --app "npx ts-node main.ts"');
    return argv[flag + 1];
  }
  const config = path.join(dir, 'cdk8s.yaml');
  if (!fs.existsSync(config)) throw new RenderError(`no cdk8s.yaml in ${dir}; run in a cdk8s app directory or pass --app "<command>"`);
  const app = Yaml.load(config)[0]?.app;
  if (typeof app !== 'string' || !app.trim()) throw new RenderError(`${config} has no 'app' command`);
  return app;
}

/** Every YAML file the app wrote, in a stable order (cdk8s numbers files when order matters). */
function manifestFiles(outdir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort(byName)) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) found.push(p);
    }
  };
  walk(outdir);
  return found;
}

/** Runs the app and returns the YAML stream. */
export function render(dir: string, argv: string[]): string {
  const command = appCommand(dir, argv);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-render-'));
  try {
    // The app's own stdout goes to stderr: stdout carries manifests only.
    const run = spawnSync(command, {
      cwd: dir,
      shell: true,
      env: { ...process.env, CDK8S_OUTDIR: outdir, CDK8S_CHECK_UPGRADE: 'false' },
      stdio: ['ignore', process.stderr, process.stderr],
    });
    if (run.error) throw new RenderError(`could not run '${command}': ${run.error.message}`);
    if (run.status !== 0) throw new RenderError(`'${command}' failed (exit ${run.status}); see the errors above`);
    const objects: any[] = [];
    for (const file of manifestFiles(outdir)) {
      for (const doc of Yaml.load(file)) {
        if (doc !== null && doc !== undefined) objects.push(doc);
      }
    }
    // Namespaces and CRDs first (everything else may live in or depend on them); otherwise keep the app's order.
    const rank = (o: any) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
    const documents = objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map(({ o }) => Yaml.stringify(o));
    if (documents.length === 0) throw new RenderError(`'${command}' produced no objects; does the app create a Chart and call app.synth()?`);
    return documents.map(d => `---\n${d.endsWith('\n') ? d : d + '\n'}`).join('');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    process.stdout.write(render(process.cwd(), process.argv.slice(2)));
  } catch (e) {
    process.stderr.write(`cdk8s-istio-render: ${e instanceof RenderError ? e.message : (e as Error).stack}\n`);
    process.exit(1);
  }
}

/** Code-unit order, the same in every locale (localeCompare is not). */
function byName(a: fs.Dirent, b: fs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
