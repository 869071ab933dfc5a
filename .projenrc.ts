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
  // The library type has no cdk8s-plus option; jsii needs it as a peer.
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: ['ajv@^8', 'yaml@^2', 'cdk8s-cli@^2', '@kubernetes-models/argo-cd@^4', '@kubernetes-models/flux-cd@^4'],
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
    },
  },
  tsconfigDev: {
    compilerOptions: { moduleResolution: TypeScriptModuleResolution.NODE16 },
  },
});

for (const [k, v] of Object.entries(quietEnv)) project.tasks.addEnvironment(k, v);

// examples/ and scripts/ are type-checked and linted with their own tsconfig,
// and never shipped in the npm package.
for (const dir of ['examples', 'scripts']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromTypescriptConfigs([project.tsconfig!]),
    include: ['**/*.ts'],
    compilerOptions: { noEmit: true, rootDir: '..' },
  });
  project.eslint?.addLintPattern(dir);
  project.addPackageIgnore(`/${dir}`);
}
project.addPackageIgnore('/.ci');
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
project.addTask('conformance', {
  description: 'Validate every example with istioctl 1.30.3 (validate + analyze --use-kube=false)',
  exec: 'bash scripts/conformance.sh',
});

new TextFile(project, '.nvmrc', { lines: ['20'] });

project.synth();
