import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

// Every ```ts block in the README is type-checked against the real API and run
// (synthesized, so validations fire). Blocks that start with imports are complete
// programs; the others run after a prelude that declares the names they use.
const root = path.resolve(__dirname, '..', '..');
const workdir = path.join(__dirname, '.snippets');

const PRELUDE = `
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
const workload = (name: string, version = 'v1') => {
  const labels = { app: name, version };
  const d = new kplus.Deployment(chart, \`\${name}-\${version}\`, { select: false, podMetadata: { labels },
    containers: [{ image: \`example/\${name}:\${version}\`, ports: [{ number: 8080, name: 'http' }], securityContext: { user: 1000 } }] });
  d.select(kplus.LabelSelector.of({ labels }));
  return d;
};
const service = (name: string) => new kplus.Service(chart, \`\${name}-svc\`, { metadata: { name },
  selector: kplus.Pods.select(chart, \`\${name}-pods\`, { labels: { app: name } }), ports: [{ port: 8080, name: 'http' }] });
const httpbin = workload('httpbin');
const ratings = workload('ratings');
const api = service('api');
const web = service('web');
const webCanary = new CanaryRelease(chart, 'web-canary', { service: ServiceReference.fromService(web), stable: CanaryVersion.fromWorkload(workload('web', 'v1')),
  canary: CanaryVersion.fromWorkload(workload('web', 'v2')), canaryWeight: 10 });
// Injected by the README's canary-upgrade snippet's tag (the only snippet with a control plane, which checks injection).
const egressGateway = new EgressGateway(chart, 'egress-gateway', { namespace: 'istio-egress', revision: 'prod-stable' });
const vs = new VirtualService(chart, 'patched-vs', { hosts: ['api.shop.svc.cluster.local'] });
vs.addHttpRoute({ route: [{ destination: { host: 'api.shop.svc.cluster.local' } }] });
void [httpbin, ratings, api, web, webCanary, egressGateway, vs, gateways];
`;

function snippets(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map(m => m[1]);
}

function program(body: string): string {
  const lines = body.split('\n');
  const imports = lines.filter(l => /^import /.test(l));
  const rest = lines.filter(l => !/^import /.test(l)).join('\n');
  const local = (p: string) => JSON.stringify(path.relative(workdir, path.join(root, p)));
  const fix = (l: string) => l.replace(/from 'cdk8s-istio'/, `from ${local('src')}`);
  if (imports.length) return [...imports.map(fix), rest].join('\n');
  // A fragment: import everything it may name, then run it inside the prelude.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const names = Object.keys(require(path.join(root, 'src'))).filter(n => /^[A-Z]/.test(n));
  return [
    "import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-28';",
    `import { ${names.join(', ')} } from ${local('src')};`,
    PRELUDE,
    `{\n${rest}\n}`,
    'app.synth();',
  ].join('\n');
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

  test('there are snippets for every task section', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  test('every snippet type-checks against the real API', () => {
    const p = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: [],
    });
    const errors = ts.getPreEmitDiagnostics(p).filter(d => d.file && files.includes(path.resolve(d.file.fileName)))
      .map(d => `${path.basename(d.file!.fileName)}:${d.file!.getLineAndCharacterOfPosition(d.start!).line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(errors).toEqual([]);
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
