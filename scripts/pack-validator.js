// Packs the validator binary of one platform as the npm package the library finds
// at run time (src/analysis/istio-validator.ts): cdk8s-istio-validator-<platform>-<arch>,
// versioned with the library, restricted by `os`/`cpu` so npm installs only the
// matching one of cdk8s-istio's optional dependencies.
//   node scripts/pack-validator.js <binary> [<platform>-<arch>]   → prints the tarball path
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [binary, target = `${process.platform}-${process.arch}`] = process.argv.slice(2);
if (!binary) {
  console.error('usage: node scripts/pack-validator.js <binary> [<platform>-<arch>]');
  process.exit(2);
}
const root = path.join(__dirname, '..');
const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const [os, cpu] = target.split('-');
const name = `${main.name}-validator-${target}`;
const dir = path.join(root, 'dist', 'validator-packages', target);
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
const exe = os === 'win32' ? 'istio-validator.exe' : 'istio-validator';
fs.copyFileSync(fs.realpathSync(binary), path.join(dir, 'bin', exe));
fs.chmodSync(path.join(dir, 'bin', exe), 0o755);
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
fs.writeFileSync(path.join(dir, 'README.md'),
  `# ${name}\n\nThe ${target} build of the validator that ${main.name} runs at synth time: Istio's own validation code\n`
  + '(the admission webhook\'s) and the API server\'s CRD checks. Installed by npm as an optional dependency of\n'
  + `${main.name}; not meant to be used on its own.\n`);
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
  name,
  version: main.version,
  description: `${main.name}'s Istio validator for ${target}`,
  license: main.license,
  repository: main.repository,
  os: [os],
  cpu: [cpu],
  files: ['bin/', 'README.md', 'LICENSE'],
}, null, 2) + '\n');
const out = path.join(root, 'dist', 'js');
fs.mkdirSync(out, { recursive: true });
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8' }));
console.log(path.join(out, packed[0].filename));
