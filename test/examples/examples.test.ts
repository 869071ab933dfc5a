import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { exampleNames, synthExample } from '../../scripts/synth-examples';

// Every example synthesizes (schema-checked by the suite setup), matches its
// committed snapshot, and is deterministic: two runs give identical bytes.
describe.each(exampleNames())('example %s', (name) => {
  const read = (files: string[]) => files.map(f => `# ${path.basename(f)}\n${fs.readFileSync(f, 'utf8')}`).join('\n');

  test('synthesizes deterministically and matches its snapshot', () => {
    const first = synthExample(name, fs.mkdtempSync(path.join(os.tmpdir(), `${name}-a-`)));
    const second = synthExample(name, fs.mkdtempSync(path.join(os.tmpdir(), `${name}-b-`)));
    expect([...first.kinds.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const yaml = read(first.files);
    expect(read(second.files)).toBe(yaml);
    expect(yaml).not.toMatch(/creationTimestamp|\d{4}-\d{2}-\d{2}T\d{2}:/);
    expect(yaml).toMatchSnapshot();
  });
});

// GitOps applies objects by identity: two objects with one group/kind/namespace/name
// would overwrite each other, whichever is applied last. Every example emits each once.
test('no example emits two objects with the same group, kind, namespace and name', () => {
  for (const name of exampleNames()) {
    const out = synthExample(name, fs.mkdtempSync(path.join(os.tmpdir(), `${name}-ids-`)));
    const seen = new Map<string, string>();
    for (const file of out.files) {
      for (const o of Yaml.load(file)) {
        if (!o) continue;
        const id = `${String(o.apiVersion).split('/').slice(0, -1).join('/')}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
        expect({ example: name, id, first: seen.get(id) }).toEqual({ example: name, id, first: undefined });
        seen.set(id, path.basename(file));
      }
    }
  }
});
