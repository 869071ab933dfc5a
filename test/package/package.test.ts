import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const render = path.join(root, 'lib', 'cli', 'render.js');
const quiet = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_loglevel: 'error', npm_config_update_notifier: 'false' };

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
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
    expect(files).toContain('crds/istio-1.30.3.json');
    expect(files.filter(f => /^(go|\.validator)\//.test(f))).toEqual([]);
  });

  test('ships lib/, .jsii, API.md, README.md and LICENSE, and no examples or tests', () => {
    for (const f of ['lib/index.js', 'lib/index.d.ts', 'lib/cli/render.js', '.jsii', 'API.md', 'README.md', 'LICENSE', 'package.json']) expect(files).toContain(f);
    expect(files.filter(f => /^(examples|test|scripts|\.ci)\//.test(f))).toEqual([]);
  });

  test('installs into a fresh cdk8s app, and Argo CD\'s plugin command renders a CanaryRelease from it', () => {
    // A fresh copy of the Argo CD example app, as the repo server would check it out.
    const app = path.join(tmp('argocd-app-'), 'mesh');
    fs.cpSync(path.join(root, 'examples', 'argocd', 'app'), app, { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf-8'));
    pkg.dependencies['cdk8s-istio'] = `file:${tarball}`;
    // npm takes the optional platform package from the registry; here, from the tarball a release would publish.
    pkg.overrides = { [validatorPackage]: `file:${validatorTarball}` };
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    // The plugin's init and generate commands (examples/argocd/plugin.yaml); packages come from the local npm cache.
    execFileSync('sh', ['-c', 'npm install --no-audit --no-fund --prefer-offline 1>&2'], { cwd: app, env: quiet, stdio: ['ignore', 'ignore', 'pipe'] });
    // Synthesis fails without a validator binary: a clean render proves the platform package was found.
    expect(fs.existsSync(path.join(app, 'node_modules', validatorPackage, 'bin', 'istio-validator'))).toBe(true);
    const run = spawnSync('npx', ['--no-install', 'cdk8s-istio-render'], { cwd: app, env: quiet, encoding: 'utf-8' });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const docs = parseAllDocuments(run.stdout).map(d => d.toJS());
    expect(run.stdout.startsWith('---\n')).toBe(true);
    expect(run.stdout.split(/^---$/m)).toHaveLength(docs.length + 1);
    const kinds = docs.map(d => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Deployment', 'Service', 'DestinationRule', 'VirtualService']));
    const vs = docs.find(d => d.kind === 'VirtualService');
    expect(vs.spec.http[0].route.map((r: any) => r.weight)).toEqual([90, 10]);
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
