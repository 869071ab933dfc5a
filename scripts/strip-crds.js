// Writes an Istio release's official CRD file as the validator reads it fastest:
// one JSON document per line, every `description` removed (nothing else changes).
//   node scripts/strip-crds.js ../shared/istio/crd-all.gen.yaml crds/istio-1.30.3.json
//   node scripts/strip-crds.js "$(go env GOMODCACHE)/istio.io/api@v1.31.4/kubernetes/customresourcedefinitions.gen.yaml" crds/istio-1.31.4.json
const fs = require('fs');
const YAML = require('yaml');

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: node scripts/strip-crds.js <crd-all.gen.yaml> <out.json>');
  process.exit(2);
}
const strip = v => Array.isArray(v) ? v.map(strip)
  : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'description').map(([k, x]) => [k, strip(x)]))
    : v;
const docs = YAML.parseAllDocuments(fs.readFileSync(from, 'utf8')).map(d => d.toJS()).filter(Boolean);
fs.writeFileSync(to, docs.map(d => JSON.stringify(strip(d))).join('\n') + '\n');
console.error(`strip-crds: ${docs.length} CRDs from ${from} -> ${to}`);
