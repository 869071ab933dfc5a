/**
 * Synthesizes examples into dist/examples/<name>/ and prints, per example,
 * where the YAML went and how many objects of each kind it holds.
 *
 *   ts-node scripts/synth-examples.ts            # every example
 *   ts-node scripts/synth-examples.ts bookinfo   # just one
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { findValidatorBinary, VALIDATION_SWITCH_ENV } from '../src/analysis/istio-validator';
import { collectExpectations, Expectation } from '../src/core/expectations';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');

export function exampleNames(): string[] {
  return fs.readdirSync(examplesDir)
    .filter(n => fs.existsSync(path.join(examplesDir, n, 'main.ts')))
    .sort();
}

/**
 * Synthesizes one example into outdir and writes what its intents promise (plus
 * those examples/<name>/expectations.ts adds by hand) to <outdir>.expectations.json,
 * beside the YAML directory so that applying the directory never picks it up.
 * The semantics harness (go/semantics, `npm run semantics`) proves them.
 */
export function synthExample(name: string, outdir: string): { files: string[]; kinds: Map<string, number>; expectations: number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(examplesDir, name, 'main.ts'));
  if (typeof mod.build !== 'function') throw new Error(`examples/${name}/main.ts must export build(app: App)`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir });
  mod.build(app);
  app.synth();
  const byHandFile = path.join(examplesDir, name, 'expectations.ts');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const byHand: Expectation[] = fs.existsSync(byHandFile) ? require(byHandFile).expectations : [];
  const expectations = [...collectExpectations(app), ...byHand.map(e => ({ by: `examples/${name}/expectations.ts`, ...e }))];
  fs.writeFileSync(`${outdir}.expectations.json`, JSON.stringify({ example: name, expectations }, undefined, 2) + '\n');
  const files = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).sort().map(f => path.join(outdir, f));
  const kinds = new Map<string, number>();
  for (const file of files) {
    for (const doc of Yaml.load(file)) {
      if (!doc) continue;
      kinds.set(doc.kind, (kinds.get(doc.kind) ?? 0) + 1);
    }
  }
  return { files, kinds, expectations: expectations.length };
}

function main(): void {
  // A fresh checkout has no validator binary until the build compiles it (Go, minutes);
  // the demo stays fast and says what it skipped. npm users get the binary with the package.
  if (!findValidatorBinary() && process.env[VALIDATION_SWITCH_ENV] !== 'off') {
    process.env[VALIDATION_SWITCH_ENV] = 'off';
    console.log('note: Istio\'s own validation is skipped: its binary is not built in this checkout yet '
      + '(`npx projen build` or `bash scripts/validator.sh` builds it; the mesh analysis still runs).');
  }
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : exampleNames();
  for (const name of names) {
    if (!exampleNames().includes(name)) {
      console.error(`unknown example '${name}'; available: ${exampleNames().join(', ')}`);
      process.exit(1);
    }
    const outdir = path.join(root, 'dist', 'examples', name);
    const { files, kinds, expectations } = synthExample(name, outdir);
    const total = [...kinds.values()].reduce((a, b) => a + b, 0);
    if (total === 0) {
      console.error(`example '${name}' produced no objects`);
      process.exit(1);
    }
    console.log(`\n${name}: ${total} objects in ${path.relative(root, outdir)}/ (${files.map(f => path.basename(f)).join(', ')}), ${expectations} promises`);
    for (const [kind, count] of [...kinds.entries()].sort()) console.log(`  ${String(count).padStart(4)}  ${kind}`);
  }
}

if (require.main === module) main();
