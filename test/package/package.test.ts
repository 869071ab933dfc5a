import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { argoCdPluginTools, withArgoCd } from '../support/argocd';

const root = path.resolve(__dirname, '..', '..');
const render = path.join(root, 'lib', 'cli', 'render.js');
const quiet = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_loglevel: 'error', npm_config_update_notifier: 'false' };

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The tarball with only this platform's validator package among its optional dependencies: the
 * other platforms' packages are not published anywhere this test can reach, and npm ci rejects a
 * lockfile that lacks them (with them published, npm records every platform's package in the lock).
 */
function thisPlatformOnly(tarball: string, validatorPackage: string): string {
  const dir = tmp('repack-');
  execFileSync('tar', ['xzf', tarball, '-C', dir]);
  const manifestFile = path.join(dir, 'package', 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf-8'));
  manifest.optionalDependencies = { [validatorPackage]: manifest.optionalDependencies[validatorPackage] };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  const out = path.join(dir, path.basename(tarball));
  execFileSync('tar', ['czf', out, '-C', dir, 'package']);
  return out;
}

describe('npm package', () => {
  let tarball: string;
  let validatorTarball: string;
  let files: string[];
  const validatorPackage = `cdk8s-istio-validator-${process.platform}-${process.arch}`;

  beforeAll(() => {
    const destination = tmp('pack-');
    const out = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: root, env: quiet, encoding: 'utf-8' }));
    tarball = path.join(destination, out[0].filename);
    files = out[0].files.map((f: any) => f.path);
    // This machine's platform package, as a release publishes it (the build has compiled the binary).
    const binary = path.join(root, '.validator', `${process.platform}-${process.arch}`, 'istio-validator');
    validatorTarball = execFileSync('node', [path.join(root, 'scripts', 'pack-validator.js'), binary], { env: quiet, encoding: 'utf-8' }).trim();
  });

  test('declares a validator package per platform as optional, and ships the CRDs the validator reads', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
    expect(manifest.optionalDependencies[validatorPackage]).toBe(manifest.version);
    expect(files).toEqual(expect.arrayContaining(['crds/istio-1.30.3.json', 'crds/istio-1.31.4.json']));
    expect(files.filter(f => /^(go|\.validator)\//.test(f))).toEqual([]);
  });

  test('ships lib/, .jsii, API.md, README.md and LICENSE, and no examples or tests', () => {
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/cli/render.js', '.jsii', 'API.md', 'README.md', 'LICENSE', 'package.json']) expect(files).toContain(f);
    expect(files.filter(f => /^(examples|test|scripts|\.ci)\//.test(f))).toEqual([]);
  });

  /** The user's repository: the Argo CD example app, its dependencies installed once and the lockfile committed. */
  let installedRepo: string | undefined;
  function userRepo(): string {
    if (installedRepo) return installedRepo;
    const repo = path.join(tmp('argocd-repo-'), 'mesh');
    fs.cpSync(path.join(root, 'examples', 'argocd', 'app'), repo, { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf-8'));
    pkg.dependencies['cdk8s-istio'] = `file:${thisPlatformOnly(tarball, validatorPackage)}`;
    // npm takes the optional platform package from the registry; here, from the tarball a release would publish.
    pkg.overrides = { [validatorPackage]: `file:${validatorTarball}` };
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify(pkg, null, 2));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: repo, env: quiet, stdio: 'ignore' });
    installedRepo = repo;
    return repo;
  }

  /** What the repo server hands the plugin: a checkout of the repository, without node_modules, the app at `mesh/`. */
  function checkout(): string {
    const checkoutRoot = tmp('argocd-checkout-');
    fs.cpSync(userRepo(), path.join(checkoutRoot, 'mesh'), { recursive: true, filter: src => !src.includes(`${path.sep}node_modules`) });
    return checkoutRoot;
  }

  /** The objects of the example app's render: a 90/10 canary of reviews. */
  function expectCanary(docs: any[]): void {
    expect(docs.map(d => d.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'DestinationRule', 'VirtualService']));
    expect(docs.find(d => d.kind === 'VirtualService').spec.http[0].route.map((r: any) => r.weight)).toEqual([90, 10]);
  }

  test('installs into a fresh cdk8s app, and the plugin\'s commands render a CanaryRelease from its lockfile well within Argo CD\'s 60 s', () => {
    expect(fs.existsSync(path.join(userRepo(), 'package-lock.json'))).toBe(true);
    const app = path.join(checkout(), 'mesh');
    const plugin = parse(fs.readFileSync(path.join(root, 'examples', 'argocd', 'plugin.yaml'), 'utf-8')).spec;
    const command = (c: { command: string[]; args?: string[] }) => [c.command[0], [...c.command.slice(1), ...(c.args ?? [])]] as const;
    const started = Date.now();
    const [init, initArgs] = command(plugin.init);
    execFileSync(init, initArgs, { cwd: app, env: quiet, stdio: ['ignore', 'ignore', 'pipe'] });
    const installed = Date.now();
    // Synthesis fails without a validator binary: a clean render proves the platform package was found.
    expect(fs.existsSync(path.join(app, 'node_modules', validatorPackage, 'bin', 'istio-validator'))).toBe(true);
    const [generate, generateArgs] = command(plugin.generate);
    const run = spawnSync(generate, generateArgs, { cwd: app, env: quiet, encoding: 'utf-8' });
    const seconds = (Date.now() - started) / 1000;
    console.log(`Argo CD plugin on examples/argocd/app, warm npm cache: init ${((installed - started) / 1000).toFixed(1)} s + generate ${((Date.now() - installed) / 1000).toFixed(1)} s = ${seconds.toFixed(1)} s`);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    // Argo CD's default deadline for a render is 60 s (README: Render in Argo CD).
    expect(seconds).toBeLessThan(60);
    const docs = parseAllDocuments(run.stdout).map(d => d.toJS());
    expect(run.stdout.startsWith('---\n')).toBe(true);
    expect(run.stdout.split(/^---$/m)).toHaveLength(docs.length + 1);
    expectCanary(docs);
  });

  describe('in Argo CD\'s own plugin server (argocd-cmp-server), asked as the repo server asks', () => {
    const examples = path.join(root, 'examples', 'argocd');
    let sockets: string;
    let server: ChildProcess | undefined;
    let serverLog = '';

    beforeAll(async () => {
      const tools = argoCdPluginTools();
      if (!tools) return;
      // The sidecar of repo-server-patch.yaml: the plugin file mounted as <config>/plugin.yaml, its env.
      const config = tmp('cmp-config-');
      fs.copyFileSync(path.join(examples, 'plugin.yaml'), path.join(config, 'plugin.yaml'));
      const sidecar = parse(fs.readFileSync(path.join(examples, 'repo-server-patch.yaml'), 'utf-8')).spec.template.spec.containers[0];
      // HOME stays this machine's: the sidecar's HOME is its npm cache volume, this machine's cache is under its own HOME.
      const sidecarEnv = Object.fromEntries(sidecar.env.filter((e: any) => e.name !== 'HOME').map((e: any) => [e.name, e.value]));
      sockets = tmp('cmp-sockets-');
      server = spawn(path.join(tools, 'argocd-cmp-server'), ['--config-dir-path', config, '--logformat', 'text'], {
        env: { ...quiet, ...sidecarEnv, ARGOCD_PLUGINSOCKFILEPATH: sockets, ARGOCD_CMP_WORKDIR: tmp('cmp-work-') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const out of [server.stdout!, server.stderr!]) out.on('data', d => { serverLog += d; });
      server.on('error', e => { serverLog += `\nspawn error: ${e.message}`; });
      const plugin = parse(fs.readFileSync(path.join(examples, 'plugin.yaml'), 'utf-8'));
      const socket = path.join(sockets, `${plugin.metadata.name}-${plugin.spec.version}.sock`);
      for (let waited = 0; !fs.existsSync(socket); waited += 100) {
        if (waited > 30_000 || server.exitCode !== null) throw new Error(`argocd-cmp-server did not listen on ${socket}:\n${serverLog}`);
        await new Promise(r => setTimeout(r, 100));
      }
    });
    afterAll(() => {
      server?.kill('SIGKILL');
      server?.stdout?.destroy();
      server?.stderr?.destroy();
    });

    /** cmp-repo-client: Argo CD's discovery and manifest stream, with the repo server's default deadline (60 s). */
    const ask = (checkoutRoot: string, ...args: string[]) => {
      const r = spawnSync(path.join(argoCdPluginTools()!, 'cmp-repo-client'), ['-repo', checkoutRoot, '-app', 'mesh', ...args],
        { env: { ...quiet, ARGOCD_PLUGINSOCKFILEPATH: sockets }, encoding: 'utf-8' });
      if (r.status !== 0) console.log(`argocd-cmp-server's log so far:\n${serverLog.slice(-4000)}`);
      return r;
    };

    withArgoCd()('discovery finds the plugin by the app\'s cdk8s.yaml, and init + generate render the canary', () => {
      const started = Date.now();
      const r = ask(checkout());
      console.log(`Argo CD's plugin server on examples/argocd/app: discovery + init + generate = ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect([r.status, r.stderr]).toEqual([0, '']);
      const [sourceType, ...manifests] = r.stdout.trim().split('\n');
      expect(sourceType).toBe('Plugin');
      expectCanary(manifests.map(m => JSON.parse(m)));
    });

    withArgoCd()('the Application\'s plugin name selects it; a broken app\'s synth error reaches the repo server', () => {
      const name = parse(fs.readFileSync(path.join(examples, 'application.yaml'), 'utf-8')).spec.source.plugin.name;
      const broken = checkout();
      const main = path.join(broken, 'mesh', 'main.ts');
      fs.writeFileSync(main, fs.readFileSync(main, 'utf-8').replace('canaryWeight: 10', 'canaryWeight: 150'));
      const r = ask(broken, '-plugin', name);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/error generating manifests in cmp: .*CanaryRelease 'shop\/reviews-canary': canaryWeight must be/s);
    });

    withArgoCd()('the repo server\'s deadline bounds init and generate: a render cut short is an error, not a partial render', () => {
      const name = parse(fs.readFileSync(path.join(examples, 'application.yaml'), 'utf-8')).spec.source.plugin.name;
      const r = ask(checkout(), '-plugin', name, '-timeout', '1s');
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      // Killed mid-command (Argo CD kills the command's process group), or stopped before it ran.
      expect(r.stderr).toMatch(/npm ci .*failed signal: killed|DeadlineExceeded|context deadline exceeded/s);
    });
  });

  test('the plugin refuses an app without a lockfile, saying what to do', () => {
    const app = tmp('argocd-nolock-');
    fs.cpSync(path.join(root, 'examples', 'argocd', 'app'), app, { recursive: true });
    const plugin = parse(fs.readFileSync(path.join(root, 'examples', 'argocd', 'plugin.yaml'), 'utf-8')).spec;
    const r = spawnSync(plugin.init.command[0], [...plugin.init.command.slice(1), ...plugin.init.args], { cwd: app, env: quiet, encoding: 'utf-8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('commit package-lock.json');
  });
});

describe('cdk8s-istio-render', () => {
  const run = (args: string[], cwd = tmp('render-')) => spawnSync('node', [render, ...args], { cwd, env: quiet, encoding: 'utf-8' });
  const chart = (name: string) => `const { App, Chart, ApiObject } = require('cdk8s'); const app = new App(); const c = new Chart(app, '${name}');`
    + ` new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${name}' } }); app.synth();`;

  test('puts --- between every document across charts, and nothing else on stdout', () => {
    const dir = tmp('render-');
    fs.writeFileSync(path.join(dir, 'main.js'), `${chart('a')} console.log('app chatter');`.replace('app.synth();', "new ApiObject(c, 'cm2', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a2' } }); const c2 = new Chart(app, 'b'); new ApiObject(c2, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }); app.synth();"));
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node main.js\n');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const r = run([], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a2\n'
      + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
    expect(r.stderr).toContain('app chatter');
  });

  test('moves Namespaces and CRDs ahead of the objects that need them, keeping the rest in order', () => {
    const dir = tmp('render-');
    const obj = (c: string, id: string, kind: string) => `new ApiObject(${c}, '${id}', { apiVersion: 'v1', kind: '${kind}', metadata: { name: '${id}' } });`;
    fs.writeFileSync(path.join(dir, 'main.js'), "const { App, Chart, ApiObject } = require('cdk8s'); const app = new App(); const a = new Chart(app, 'a'); const b = new Chart(app, 'b');"
      + obj('a', 'cm1', 'ConfigMap') + obj('b', 'shop', 'Namespace') + obj('a', 'cm2', 'ConfigMap') + obj('b', 'crd', 'CustomResourceDefinition') + 'app.synth();');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    const r = run(['--app', 'node main.js'], dir);
    expect(r.status).toBe(0);
    expect(parseAllDocuments(r.stdout).map(d => d.toJS().metadata.name)).toEqual(['shop', 'crd', 'cm1', 'cm2']);
  });

  test('reads the app\'s files in code-unit order, whatever the locale', () => {
    const dir = tmp('render-');
    // File names that a locale-aware sort orders differently ('a' before 'B' in en-US; 'B' first by code unit).
    fs.writeFileSync(path.join(dir, 'main.js'), "const fs = require('fs'); const path = require('path'); const out = process.env.CDK8S_OUTDIR;"
      + " for (const n of ['b', 'a', 'B']) fs.writeFileSync(path.join(out, n + '.yaml'), 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ' + n.toLowerCase() + (n === 'B' ? '-upper' : '') + '\\n');");
    const names = (lang: string) => {
      const r = spawnSync('node', [render, '--app', 'node main.js'], { cwd: dir, env: { ...quiet, LANG: lang, LC_ALL: lang }, encoding: 'utf-8' });
      expect(r.status).toBe(0);
      return parseAllDocuments(r.stdout).map(d => d.toJS().metadata.name);
    };
    expect(names('en_US.UTF-8')).toEqual(['b-upper', 'a', 'b']);
    expect(names('C')).toEqual(['b-upper', 'a', 'b']);
  });

  test('fails with a message when the app produces no objects', () => {
    const r = run(['--app', `node -e "const { App } = require('${path.join(root, 'node_modules', 'cdk8s')}'); new App().synth()"`]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cdk8s-istio-render: 'node -e .*' produced no objects; does the app create a Chart and call app.synth\(\)\?/);
  });

  test('fails when the app fails (e.g. a synth-time validation error)', () => {
    const r = run(['--app', 'node -e "throw new Error(\'CanaryRelease shop/reviews: canaryWeight must be ...\')"']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/canaryWeight must be[\s\S]*cdk8s-istio-render: 'node -e .*' failed \(exit 1\); see the errors above/);
  });

  test('--help prints usage and renders nothing; an unknown argument is an error', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cdk8s-istio-render \[--app "<command>"\]/);
    const bad = run(['--verbose']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('cdk8s-istio-render: unknown argument "--verbose"; see --help\n');
  });

  test('fails when there is no cdk8s.yaml', () => {
    const r = run([]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no cdk8s.yaml in .*; run in a cdk8s app directory or pass --app/);
  });
});
