import { cdk8s, javascript, TextFile } from 'projen';
import { TypeScriptModuleResolution } from 'projen/lib/javascript';

// Every cdk8s/jsii call runs offline-friendly: no upgrade check, no Node 20 EOL banner.
const quietEnv = {
  CDK8S_CHECK_UPGRADE: 'false',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
};

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio',
  description: 'Typed, intent-level cdk8s constructs that synthesize validated Istio service-mesh configuration.',
  author: 'cdk8s-istio contributors',
  authorAddress: 'cdk8s-istio@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-istio/cdk8s-istio.git',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  // cdk8s 2 / constructs 10: the CLI default (1.4.10) would give a cdk8s 1 project.
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  keywords: ['cdk8s', 'kubernetes', 'istio', 'service-mesh', 'gitops'],
  // The render command Argo CD's config-management plugin calls.
  bin: { 'cdk8s-istio-render': 'lib/cli/render.js' },
  // No cdk8s-plus at run time: the API takes constructs (IConstruct) and reads their
  // Kubernetes objects, so apps use the cdk8s-plus major they have. Examples and tests
  // use cdk8s-plus-28; test/compat builds an example against cdk8s-plus-33 too.
  devDeps: ['ajv@^8', 'yaml@^2', 'cdk8s-cli@^2', '@kubernetes-models/argo-cd@^4', '@kubernetes-models/flux-cd@^4',
    'cdk8s-plus-28@^2.5.6', 'cdk8s-plus-33@^2.5.57',
    // Prometheus' own PromQL grammar and the Prometheus operator's schemas judge CanaryAlerts' rules in tests.
    '@prometheus-io/lezer-promql@^0.315.0', '@lezer/lr@^1', '@lezer/highlight@^1', '@kubernetes-models/prometheus-operator@^6', 'kubernetes-models@^5'],
  // Python: `pip install cdk8s-istio`, `import cdk8s_istio` (test/python builds the wheel and runs examples with it).
  publishToPypi: { distName: 'cdk8s-istio', module: 'cdk8s_istio' },
  // No GitHub workflows: CI for this project is .ci/run.
  github: false,
  release: false,
  jestOptions: {
    // Snapshots must fail on drift instead of silently rewriting themselves.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      setupFilesAfterEnv: ['<rootDir>/test/support/schema-setup.ts'],
      coveragePathIgnorePatterns: ['/node_modules/', '/test/'],
      testTimeout: 120_000,
      // dist/ holds packed copies (the validator's platform package): jest's module map must not resolve to them.
      modulePathIgnorePatterns: ['<rootDir>/dist/'],
    },
  },
  tsconfigDev: {
    compilerOptions: { moduleResolution: TypeScriptModuleResolution.NODE16 },
  },
});

for (const [k, v] of Object.entries(quietEnv)) project.tasks.addEnvironment(k, v);

// examples/ and scripts/ are type-checked and linted with their own tsconfig,
// and never shipped in the npm package.
const typecheck = project.addTask('typecheck', { description: 'Type-check examples/ and scripts/ against the library source' });
for (const dir of ['examples', 'scripts']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([project.tsconfig!]),
    include: ['**/*.ts'],
    // The Argo CD example imports the package by name, as a GitOps repo does; here it is the source.
    compilerOptions: { noEmit: true, rootDir: '..', paths: { 'cdk8s-istio': ['../src'] } },
  });
  typecheck.exec(`tsc --noEmit -p ${dir}/tsconfig.json`);
  project.eslint?.addLintPattern(dir);
  project.eslint?.allowDevDeps(`${dir}/**`);
  project.addPackageIgnore(`/${dir}`);
}
project.postCompileTask.spawn(typecheck);
// Every @example, compiled and translated to Python by jsii-rosetta (.jsii.tabl.json, which
// jsii-pacmak reads when it writes the Python docstrings); test/docs checks each translated.
project.postCompileTask.exec('node scripts/rosetta-fixture.js && jsii-rosetta extract --compile', { name: 'rosetta' });
project.gitignore.exclude('/rosetta/', '/.jsii.tabl.json');
project.addPackageIgnore('/rosetta');
project.addPackageIgnore('/.ci');

// Istio's own validation runs at synth in a Go program (go/cmd/istio-validator).
// The build compiles it for this machine (cached outside the repo; linked into
// .validator/); npm users get it from the platform package npm picks among these.
const validatorPlatforms = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];
project.package.addField('optionalDependencies', Object.fromEntries(
  validatorPlatforms.map(p => [`cdk8s-istio-validator-${p}`, project.package.manifest.version ?? '0.0.0'])));
const validator = project.addTask('validator', {
  description: 'Build Istio\'s validation (go/cmd/istio-validator) for this machine into .validator/ (needs Go)',
  exec: 'bash scripts/validator.sh',
});
project.preCompileTask.spawn(validator);
project.gitignore.exclude('/.validator/');
for (const dir of ['/go', '/.validator']) project.addPackageIgnore(dir);
// Generated by test/readme/readme-snippets.test.ts while it runs.
project.gitignore.exclude('/test/readme/.snippets/');
project.gitignore.exclude('/test/docs/.examples/');
project.gitignore.exclude('/test/compat/.examples/');
project.addPackageIgnore('/docs');

const tsNode = 'ts-node --project scripts/tsconfig.json';
project.addTask('examples', {
  description: 'Synthesize every example under examples/ into dist/examples/<name>/',
  exec: `${tsNode} scripts/synth-examples.ts`,
});
project.addTask('demo', {
  description: 'Synthesize the main example (bookinfo) into dist/examples/bookinfo/',
  exec: `${tsNode} scripts/synth-examples.ts bookinfo`,
});
project.addTask('bench', {
  description: 'Benchmark synth time and memory at N = 100/1000/5000 services against plain cdk8s (dist/bench/results.json)',
  exec: `${tsNode} --transpile-only scripts/bench.ts`,
});
project.addTask('conformance', {
  description: 'Validate every example with istioctl of the pinned Istio (validate + analyze --use-kube=false)',
  exec: 'bash scripts/conformance.sh',
});
project.addTask('test:python', {
  description: 'Build the Python wheel, install it in a virtualenv with cdk8s from PyPI, run examples/python and the README\'s Python snippets, and compare YAML with the TypeScript examples',
  exec: 'bash scripts/python-examples.sh',
});
project.addTask('semantics', {
  description: 'Prove every example\'s promises on the Envoy config istiod generates for it (go/semantics; needs Go)',
  exec: 'bash scripts/semantics.sh',
});

new TextFile(project, '.nvmrc', { lines: ['20'] });

project.synth();
