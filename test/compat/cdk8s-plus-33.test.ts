import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { typeErrors } from '../support/type-check';

// `cdk8s init` ships cdk8s-plus-33; the examples use cdk8s-plus-28. Copies of three
// examples (and the Bookinfo workloads they share) built with cdk8s-plus-33 must
// type-check and synthesize the same Istio configuration as the originals.
const root = path.resolve(__dirname, '..', '..');
const workdir = path.join(__dirname, '.examples');
const EXAMPLES = ['canary-rollout', 'composed-service', 'zero-trust', 'deny-path'];

function withPlus33(file: string, dest: string): void {
  const src = JSON.stringify(path.relative(path.dirname(dest), path.join(root, 'src')));
  const text = fs.readFileSync(file, 'utf8')
    .replace(/'cdk8s-plus-28'/g, '\'cdk8s-plus-33\'')
    .replace(/from '(\.\.\/)+src'/g, `from ${src}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, text);
}

/** The Istio objects an example's build() synthesizes (in a module registry of its own, cdk8s included). */
function istioObjects(mainFile: string): string {
  const outdir = fs.mkdtempSync(path.join(workdir, 'out-'));
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cdk8s: typeof import('cdk8s') = require('cdk8s');
    const app = new cdk8s.App({ outdir });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(mainFile).build(app);
    app.synth();
  });
  const docs = fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).sort().flatMap(f => Yaml.load(path.join(outdir, f)));
  return Yaml.stringify(...docs.filter(d => d?.apiVersion?.includes('istio.io')));
}

describe('an app built with cdk8s-plus-33', () => {
  beforeAll(() => {
    fs.rmSync(workdir, { recursive: true, force: true });
    withPlus33(path.join(root, 'examples', 'bookinfo-app.ts'), path.join(workdir, 'bookinfo-app.ts'));
    for (const name of EXAMPLES) withPlus33(path.join(root, 'examples', name, 'main.ts'), path.join(workdir, name, 'main.ts'));
  });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('type-checks: its Deployments, Services and ServiceAccounts go straight into the intents', () => {
    const copy = fs.readFileSync(path.join(workdir, 'bookinfo-app.ts'), 'utf8');
    expect(copy).toContain('cdk8s-plus-33');
    const errors = typeErrors([path.join(workdir, 'bookinfo-app.ts'), ...EXAMPLES.map(n => path.join(workdir, n, 'main.ts'))], ['node']);
    expect(errors).toEqual([]);
  });

  test.each(EXAMPLES)('%s synthesizes the same Istio configuration as with cdk8s-plus-28', (name) => {
    const withTwentyEight = istioObjects(path.join(root, 'examples', name, 'main.ts'));
    expect(withTwentyEight.length).toBeGreaterThan(0);
    expect(istioObjects(path.join(workdir, name, 'main.ts'))).toBe(withTwentyEight);
  });
});
