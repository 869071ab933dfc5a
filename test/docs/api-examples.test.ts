import * as fs from 'fs';
import * as path from 'path';
import { typeErrors } from '../support/type-check';

// Every @example in the API docs (API.md, rendered from the jsii assembly) type-checks
// against the real API: a newcomer who copies one gets code that compiles.
const root = path.resolve(__dirname, '..', '..');
const workdir = path.join(__dirname, '.examples');

function examples(): Array<[string, string]> {
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
  return Object.values<any>(assembly.types).filter(t => t.docs?.example).map(t => [t.name, t.docs.example]);
}

test('every @example type-checks', () => {
  const found = examples();
  expect(found.length).toBeGreaterThanOrEqual(12);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const names = Object.keys(require(path.join(root, 'src'))).filter(n => /^[A-Z]/.test(n));
  fs.rmSync(workdir, { recursive: true, force: true });
  fs.mkdirSync(workdir, { recursive: true });
  const files = found.map(([name, example]) => {
    const file = path.join(workdir, `${name}.ts`);
    fs.writeFileSync(file, [
      "import { ApiObject, App, Chart, Duration } from 'cdk8s';",
      "import * as kplus from 'cdk8s-plus-28';",
      `import { ${names.join(', ')} } from ${JSON.stringify(path.relative(workdir, path.join(root, 'src')))};`,
      `export {};\n${example}`,
    ].join('\n'));
    return file;
  });
  const errors = typeErrors(files);
  fs.rmSync(workdir, { recursive: true, force: true });
  expect(errors).toEqual([]);
});

test('every @example is translated to Python by jsii-rosetta (the Python docstrings show Python)', () => {
  const tablet = path.join(root, '.jsii.tabl.json');
  if (!fs.existsSync(tablet)) throw new Error('no .jsii.tabl.json: run `npx projen compile` (its post-compile step extracts the examples)');
  const snippets = Object.values<any>(JSON.parse(fs.readFileSync(tablet, 'utf8')).snippets);
  const ofExamples = snippets.filter(s => s.location?.field?.field === 'example');
  expect(ofExamples.length).toBe(examples().length);
  const untranslated = ofExamples.filter(s => !s.didCompile || !s.translations.python?.source).map(s => s.location.api.fqn);
  expect(untranslated).toEqual([]);
});

describe('API docs a newcomer can follow', () => {
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
  const types = Object.values<any>(assembly.types);

  test('every intent and install construct has an @example', () => {
    const missing = types.filter(t => t.kind === 'class' && !t.abstract && /src\/(intents|install)\//.test(t.locationInModule?.filename ?? '') && !t.docs?.example)
      .map(t => t.name);
    expect(missing).toEqual([]);
  });

  test('every optional prop says its @default', () => {
    const missing = types.filter(t => t.datatype).flatMap(t => (t.properties ?? []).filter((p: any) => p.optional && !p.docs?.default).map((p: any) => `${t.name}.${p.name}`));
    expect(missing).toEqual([]);
  });
});
