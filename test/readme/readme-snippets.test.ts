import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typeErrors } from '../support/type-check';

// Every ```ts block in the README is a complete program (its own imports and
// declarations: nothing hidden is shared), type-checked against the real API and run
// (synthesized, so validations fire).
const root = path.resolve(__dirname, '..', '..');
const workdir = path.join(__dirname, '.snippets');

function snippets(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  return [...readme.matchAll(/^```ts(?: nofixture)?\n([\s\S]*?)^```/gm)].map(m => m[1]);
}

function program(body: string): string {
  const local = JSON.stringify(path.relative(workdir, path.join(root, 'src')));
  return body.replace(/from 'cdk8s-istio'/g, `from ${local}`);
}

describe('README snippets', () => {
  const blocks = snippets();
  const files = blocks.map((_, i) => path.join(workdir, `snippet-${i + 1}.ts`));

  beforeAll(() => {
    fs.rmSync(workdir, { recursive: true, force: true });
    fs.mkdirSync(workdir, { recursive: true });
    blocks.forEach((b, i) => fs.writeFileSync(files[i], `// from README.md, block ${i + 1}\n${program(b)}\n`));
  });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('there are snippets for every task section, each a complete program', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const incomplete = blocks.map((b, i) => [i + 1, b] as const).filter(([, b]) => !/^import /.test(b) || !/app\.synth\(\);/.test(b)).map(([n]) => n);
    expect(incomplete).toEqual([]);
  });

  test('every snippet type-checks against the real API', () => {
    expect(typeErrors(files)).toEqual([]);
  });

  test.each(blocks.map((_, i) => i + 1))('snippet %i runs and synthesizes', (n) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `readme-${n}-`));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(files[n - 1]));
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = previous;
    }
    expect(fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).length).toBeGreaterThan(0);
  });
});
