#!/usr/bin/env node
/**
 * cdk8s-istio-render: synthesizes the cdk8s app in the current directory and prints
 * every object as one multi-document YAML stream on stdout (a `---` between every
 * document, across all charts; Namespaces and CRDs first). Meant for Argo CD's config-management plugin:
 * nothing but manifests on stdout; diagnostics on stderr; non-zero exit when the
 * app fails (e.g. a validation error) or produces no objects.
 *
 *   cdk8s-istio-render [--app "<command>"]     (default: `app` from ./cdk8s.yaml)
 *   cdk8s-istio-render --help
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';

class RenderError extends Error {}

const USAGE = `Usage: cdk8s-istio-render [--app "<command>"] [--debug]

Runs the cdk8s app in the current directory and prints every object it synthesizes as one
multi-document YAML stream on stdout (Namespaces and CRDs first); diagnostics go to stderr.
Exits non-zero when the app fails (e.g. a synth-time validation error) or produces no objects.

  --app "<command>"  the command that runs the app (default: 'app' from ./cdk8s.yaml)
  --debug            print the stack of an unexpected error (also CDK8S_ISTIO_DEBUG=1)
  --help, -h         print this and exit
`;
const KNOWN = new Set(['--app', '--debug', '--help', '-h']);

/** The first argument that is neither an option nor the value of --app. */
function unknownArgument(argv: string[]): string | undefined {
  return argv.find((a, i) => !KNOWN.has(a) && argv[i - 1] !== '--app');
}

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
  const argv = process.argv.slice(2);
  const debug = argv.includes('--debug') || process.env.CDK8S_ISTIO_DEBUG === '1';
  try {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(USAGE);
    } else {
      const unknown = unknownArgument(argv);
      if (unknown !== undefined) throw new RenderError(`unknown argument ${JSON.stringify(unknown)}; see --help`);
      process.stdout.write(render(process.cwd(), argv));
    }
  } catch (e) {
    const err = e as Error;
    process.stderr.write(`cdk8s-istio-render: ${e instanceof RenderError || !debug ? err.message ?? String(e) : err.stack}\n`);
    process.exit(1);
  }
}

/** Code-unit order, the same in every locale (localeCompare is not). */
function byName(a: fs.Dirent, b: fs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
