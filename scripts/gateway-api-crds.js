// Writes a Gateway API release's CRDs, per channel, as the validator reads them fastest
// (one JSON document per line, every `description` removed), from the Go module that
// carries them (`go mod download sigs.k8s.io/gateway-api@v<version>`):
//   node scripts/gateway-api-crds.js 1.5.1
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');

const version = process.argv[2];
if (!version) {
  console.error('usage: node scripts/gateway-api-crds.js <version, e.g. 1.5.1>');
  process.exit(2);
}
const mod = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `sigs.k8s.io/gateway-api@v${version}`], { encoding: 'utf8', cwd: path.join(__dirname, '..', 'go') }));
const strip = v => Array.isArray(v) ? v.map(strip)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'description').map(([k, x]) => [k, strip(x)]))
    : v;
for (const channel of ['standard', 'experimental']) {
  const dir = path.join(mod.Dir, 'config', 'crd', channel);
  const docs = fs.readdirSync(dir).filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort()
    .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()))
    .filter(d => d && d.kind === 'CustomResourceDefinition');
  const to = path.join(__dirname, '..', 'crds', `gateway-api-${version}-${channel}.json`);
  fs.writeFileSync(to, docs.map(d => JSON.stringify(strip(d))).join('\n') + '\n');
  console.error(`gateway-api-crds: ${docs.length} CRDs (${docs.map(d => d.spec.names.kind).join(', ')}) -> ${path.relative(process.cwd(), to)}`);
}
