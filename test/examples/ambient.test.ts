import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { exampleNames, synthExample } from '../../scripts/synth-examples';

/** What ztunnel cannot see: istiod drops or ignores these in a policy it sends to ztunnel (ambient/authorization.go). */
function httpAttributes(rule: any): string[] {
  const found: string[] = [];
  for (const to of rule.to ?? []) {
    for (const k of ['methods', 'notMethods', 'paths', 'notPaths', 'hosts', 'notHosts']) if (to.operation?.[k]) found.push(`to.operation.${k}`);
  }
  for (const from of rule.from ?? []) {
    for (const k of ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks']) if (from.source?.[k]) found.push(`from.source.${k}`);
  }
  // ztunnel enforces only these condition keys (l4WhenAttributes); any other is an HTTP attribute to it.
  const l4 = ['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port'];
  for (const when of rule.when ?? []) if (!l4.includes(String(when.key))) found.push(`when ${when.key}`);
  return found;
}

function objectsOf(name: string): any[] {
  const out = synthExample(name, fs.mkdtempSync(path.join(os.tmpdir(), `${name}-ambient-`)));
  return out.files.flatMap(f => Yaml.load(f)).filter(o => o);
}

// In an ambient namespace a policy without targetRefs goes to ztunnel, which sees no HTTP: it enforces a DENY
// without its HTTP attributes, drops the ALLOW rules that use them, and checks no token.
test('no example emits a policy for ztunnel with HTTP attributes, or a RequestAuthentication for ztunnel, in an ambient namespace', () => {
  let ambientNamespaces = 0;
  for (const name of exampleNames()) {
    const objects = objectsOf(name);
    const ambient = new Set(objects.filter(o => o.kind === 'Namespace' && o.metadata.labels?.['istio.io/dataplane-mode'] === 'ambient').map(o => o.metadata.name));
    ambientNamespaces += ambient.size;
    for (const o of objects) {
      if (!ambient.has(o.metadata?.namespace) || o.spec?.targetRefs?.length) continue;
      if (o.kind === 'RequestAuthentication') expect({ example: name, object: o.metadata.name, kind: o.kind }).toBeUndefined();
      if (o.kind !== 'AuthorizationPolicy') continue;
      const found = (o.spec.rules ?? []).flatMap(httpAttributes);
      expect({ example: name, policy: o.metadata.name, httpAttributes: found, action: o.spec.action ?? 'ALLOW' })
        .toEqual({ example: name, policy: o.metadata.name, httpAttributes: [], action: expect.stringMatching(/^(ALLOW|DENY)$/) });
    }
  }
  // The walk proves something only if some example is ambient.
  expect(ambientNamespaces).toBeGreaterThan(0);
});

// The migration path of one namespace: the same program with the other data plane (one line differs),
// and the difference between the two outputs, reviewed here as a snapshot.
describe('migrating Bookinfo from sidecars to ambient', () => {
  const examples = path.join(__dirname, '..', '..', 'examples');
  const body = (name: string) => fs.readFileSync(path.join(examples, name, 'main.ts'), 'utf8').split('\n').filter(l => !l.startsWith('/**'));

  test('the two programs differ in the data plane only', () => {
    const sidecar = body('bookinfo-sidecar');
    const ambient = body('bookinfo-ambient');
    const changed = sidecar.map((l, i) => [l, ambient[i]]).filter(([a, b]) => a !== b);
    expect(sidecar.length).toBe(ambient.length);
    expect(changed).toEqual([['  buildBookinfoMesh(app, DataPlaneMode.SIDECAR);', '  buildBookinfoMesh(app, DataPlaneMode.AMBIENT);']]);
  });

  test('the difference between their outputs', () => {
    const key = (o: any) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const before = new Map(objectsOf('bookinfo-sidecar').map(o => [key(o), o]));
    const after = new Map(objectsOf('bookinfo-ambient').map(o => [key(o), o]));
    const diff: { [object: string]: unknown } = {};
    for (const [k, o] of after) {
      const old = before.get(k);
      if (!old) diff[`+ ${k}`] = o.spec ?? o.metadata.labels;
      else if (JSON.stringify(old) !== JSON.stringify(o)) diff[`~ ${k}`] = { before: changes(old, o), after: changes(o, old) };
    }
    for (const k of before.keys()) if (!after.has(k)) diff[`- ${k}`] = null;
    expect(Object.keys(diff).length).toBeGreaterThan(0);
    expect(diff).toMatchSnapshot();
  });
});

/** The fields of `a` (by top-level metadata/spec key) that differ in `b`. */
function changes(a: any, b: any): any {
  const out: any = {};
  for (const part of ['metadata', 'spec']) {
    for (const [k, v] of Object.entries(a[part] ?? {})) {
      if (JSON.stringify(v) !== JSON.stringify(b[part]?.[k])) out[`${part}.${k}`] = v;
    }
  }
  return out;
}
