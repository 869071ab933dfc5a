import * as fs from 'fs';
import * as path from 'path';

// DESIGN.md: each layer is a folder that depends only on the layers below it, and
// nothing imports in a cycle. Read from the source's import statements (type-only ones included).
const src = path.resolve(__dirname, '..', '..', 'src');
const LAYERS = ['core', 'resources', 'intents', 'install', 'analysis'];
// What each layer may import besides itself.
const ALLOWED: { [layer: string]: string[] } = {
  core: [],
  resources: ['core'],
  intents: ['core', 'resources'],
  install: ['core', 'resources'],
  analysis: ['core'],
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from '(\.[^']+)';/gms)].map(m => {
    const target = path.resolve(path.dirname(file), m[1]);
    return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
  });
}

const all = files(src).filter(f => LAYERS.includes(path.relative(src, f).split(path.sep)[0]));
const layerOf = (f: string) => path.relative(src, f).split(path.sep)[0];

test.each(LAYERS)('layer %s imports only the layers below it', (layer) => {
  const wrong = all.filter(f => layerOf(f) === layer)
    .flatMap(f => imports(f).filter(t => layerOf(t) !== layer && !ALLOWED[layer].includes(layerOf(t))).map(t => `${path.relative(src, f)} → ${path.relative(src, t)}`));
  expect(wrong).toEqual([]);
});

test('no import cycle in the library', () => {
  const graph = new Map(all.map(f => [f, imports(f).filter(t => all.includes(t))]));
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: string, trail: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(f)), f].map(x => path.relative(src, x)).join(' → '));
      return;
    }
    state.set(f, 'visiting');
    for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
    state.set(f, 'done');
  };
  for (const f of all) visit(f, []);
  expect(cycles).toEqual([]);
});

test('render and check helpers are not part of the package\'s API', () => {
  const index = fs.readFileSync(path.join(src, 'index.ts'), 'utf8');
  const exported = [...index.matchAll(/export \* from '\.\/([^']+)';/g)].map(m => path.join(src, `${m[1]}.ts`));
  const helpers = exported.flatMap(f => [...fs.readFileSync(f, 'utf8').matchAll(/^export function (\w+)/gm)].map(m => `${path.relative(src, f)}: ${m[1]}`));
  expect(helpers).toEqual([]);
});
