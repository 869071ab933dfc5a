import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import { MeshAnalyzer } from '../../src';
import { istioctl, withIstioctl } from '../support/istioctl';
import { withoutSchemaCheck } from '../support/schema-setup';

// Deliberately broken configurations, written with raw ApiObjects (the escape hatch,
// so no typed construct stops them early). Each must be rejected by our synth-time
// analysis AND by istioctl analyze; the agreement rate is reported.
const ns = 'shop';
const raw = (c: Chart, id: string, kind: string, apiVersion: string, metadata: any, rest: any) =>
  new ApiObject(c, id, { apiVersion, kind, metadata: { namespace: ns, ...metadata }, ...rest });
const vs = (c: Chart, id: string, spec: any) => raw(c, id, 'VirtualService', 'networking.istio.io/v1', { name: id }, { spec });
const deployment = (c: Chart, name: string, labels: any, namespace = ns) => raw(c, `deploy-${name}-${namespace}`, 'Deployment', 'apps/v1', { name, namespace },
  { spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `example/${name}:1` }] } } } });
const svc = (c: Chart, name: string, ports: any[]) => raw(c, `svc-${name}`, 'Service', 'v1', { name }, { spec: { selector: { app: name }, ports } });
const gateway = (c: Chart, name: string, selector: any, hosts: string[], port = 80) => raw(c, `gw-${name}`, 'Gateway', 'networking.istio.io/v1', { name },
  { spec: { selector, servers: [{ port: { number: port, name: `http-${port}`, protocol: 'HTTP' }, hosts }] } });
const reviews = (c: Chart) => { deployment(c, 'reviews', { app: 'reviews', version: 'v1' }); svc(c, 'reviews', [{ name: 'http', port: 9080 }]); };

// `offline`: istioctl can judge it with --use-kube=false. Analyzers that need Pods, Services or
// Namespaces (gateway selectors, port names, multi-port hosts, injection...) are skipped by
// istioctl without a cluster, so only our synth-time analysis catches those before deploy.
const corpus: Array<[string, string, boolean, (c: Chart) => void]> = [
  ['route to a subset no DestinationRule defines', 'IST0101', true, c => {
    reviews(c);
    vs(c, 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
  }],
  ['VirtualService bound to a missing Gateway', 'IST0101', true, c => {
    reviews(c);
    vs(c, 'public', { hosts: ['shop.example.com'], gateways: ['missing'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
  }],
  ['Gateway whose selector matches no pod', 'IST0101', false, c => {
    reviews(c);
    gateway(c, 'public', { istio: 'no-such-gateway' }, ['shop.example.com']);
  }],
  ['VirtualService host the Gateway does not serve', 'IST0132', true, c => {
    reviews(c);
    deployment(c, 'ingress', { istio: 'ingressgateway' });
    gateway(c, 'public', { istio: 'ingressgateway' }, ['shop.example.com']);
    vs(c, 'public', { hosts: ['other.example.com'], gateways: ['public'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
  }],
  ['two mesh VirtualServices for one host', 'IST0109', true, c => {
    reviews(c);
    vs(c, 'a', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
    vs(c, 'b', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
  }],
  ['multi-port destination without a port', 'IST0112', false, c => {
    deployment(c, 'reviews', { app: 'reviews' });
    svc(c, 'reviews', [{ name: 'http', port: 9080 }, { name: 'http-admin', port: 9081 }]);
    vs(c, 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
  }],
  ['Service port not named by protocol', 'IST0118', false, c => {
    deployment(c, 'reviews', { app: 'reviews' });
    svc(c, 'reviews', [{ name: 'web', port: 9080 }]);
  }],
  ['two Gateways with the same host and port on one workload', 'IST0145', false, c => {
    reviews(c);
    deployment(c, 'ingress', { istio: 'ingressgateway' });
    gateway(c, 'a', { istio: 'ingressgateway' }, ['shop.example.com']);
    gateway(c, 'b', { istio: 'ingressgateway' }, ['shop.example.com']);
  }],
  ['AuthorizationPolicy selecting no workload', 'IST0127', false, c => {
    reviews(c);
    raw(c, 'ap', 'AuthorizationPolicy', 'security.istio.io/v1', { name: 'ratings-only' }, { spec: { selector: { matchLabels: { app: 'ratings' } }, action: 'ALLOW', rules: [{}] } });
  }],
  ['Sidecar selecting no workload', 'IST0101', false, c => {
    reviews(c);
    raw(c, 'sc', 'Sidecar', 'networking.istio.io/v1', { name: 'ratings' }, { spec: { workloadSelector: { labels: { app: 'ratings' } }, egress: [{ hosts: ['./*'] }] } });
  }],
  ['routing on JWT claims at a gateway without RequestAuthentication', 'IST0149', false, c => {
    reviews(c);
    deployment(c, 'ingress', { istio: 'ingressgateway' });
    gateway(c, 'public', { istio: 'ingressgateway' }, ['shop.example.com']);
    vs(c, 'public', {
      hosts: ['shop.example.com'],
      gateways: ['public'],
      http: [{ match: [{ headers: { '@request.auth.claims.group': { exact: 'beta' } } }], route: [{ destination: { host: 'reviews' } }] }],
    });
  }],
  ['namespace with two injection labels', 'IST0123', false, c => {
    reviews(c);
    raw(c, 'ns', 'Namespace', 'v1', { name: ns, namespace: undefined, labels: { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' } }, {});
  }],
  ['TLS origination without caCertificates', 'IST0128', true, c => {
    raw(c, 'dr', 'DestinationRule', 'networking.istio.io/v1', { name: 'api' }, { spec: { host: 'api.example.com', trafficPolicy: { tls: { mode: 'SIMPLE' } } } });
  }],
  ['port-level TLS origination without caCertificates', 'IST0129', true, c => {
    raw(c, 'dr', 'DestinationRule', 'networking.istio.io/v1', { name: 'api' },
      { spec: { host: 'api.example.com', trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE' } }] } } });
  }],
  ['TCP ServiceEntry without addresses', 'IST0134', true, c => {
    raw(c, 'se', 'ServiceEntry', 'networking.istio.io/v1', { name: 'db' }, { spec: { hosts: ['db.example.com'], ports: [{ number: 5432, name: 'tcp', protocol: 'TCP' }], resolution: 'DNS' } });
  }],
  ['one certificate on two Gateways', 'IST0138', true, c => {
    for (const [name, host] of [['a', 'a.example.com'], ['b', 'b.example.com']]) {
      raw(c, `gw-${name}`, 'Gateway', 'networking.istio.io/v1', { name }, {
        spec: {
          selector: { istio: 'ingressgateway' },
          servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [host], tls: { mode: 'SIMPLE', credentialName: 'shared-cert' } }],
        },
      });
    }
  }],
];

// Istio's analyzers only look at namespaces in the mesh, so each case runs in an injected namespace.
function meshNamespace(c: Chart, build: (c: Chart) => void): void {
  build(c);
  if (!c.node.tryFindChild('ns')) raw(c, 'ns', 'Namespace', 'v1', { name: ns, namespace: undefined, labels: { 'istio-injection': 'enabled' } }, {});
}

function ours(build: (c: Chart) => void): string[] {
  const c = new Chart(Testing.app(), 'corpus');
  meshNamespace(c, build);
  return MeshAnalyzer.of(c).analyze().map(f => f.code);
}

function istioctlCodes(build: (c: Chart) => void): string[] {
  const c = new Chart(Testing.app(), 'corpus');
  meshNamespace(c, build);
  MeshAnalyzer.of(c).enabled = false;
  const yaml = withoutSchemaCheck(() => Yaml.stringify(...Testing.synth(c)));
  const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-')), 'bundle.yaml');
  fs.writeFileSync(bundle, execFileSync('node', [path.join(__dirname, '..', '..', 'scripts', 'derive-pods.js')], { input: yaml, encoding: 'utf-8' }));
  const out = spawnSync(istioctl()!, ['analyze', '--all-namespaces', '--use-kube=false', bundle], { encoding: 'utf-8' });
  return [...`${out.stdout}${out.stderr}`.matchAll(/\[(IST\d{4})\]/g)].map(m => m[1]);
}

describe('negative corpus', () => {
  test.each(corpus)('ours rejects: %s (%s)', (_, code, _offline, build) => {
    expect(ours(build)).toContain(code);
  });

  withIstioctl()('istioctl analyze --use-kube=false agrees wherever it can judge offline (agreement rate)', () => {
    const rows = corpus.map(([name, code, offline, build]) =>
      ({ name, code, offline, ours: ours(build).includes(code), istioctl: istioctlCodes(build).includes(code) }));
    const judged = rows.filter(r => r.istioctl);
    const agreed = judged.filter(r => r.ours).length;
    process.stderr.write(`negative corpus: we reject ${rows.filter(r => r.ours).length}/${rows.length}; istioctl (offline) rejects ${judged.length}/${rows.length}; `
      + `agreement where istioctl judges: ${agreed}/${judged.length}\n${rows.map(r => `  ours=${r.ours} istioctl=${r.istioctl} ${r.code} ${r.name}`).join('\n')}\n`);
    expect(rows.map(r => [r.name, r.istioctl])).toEqual(rows.map(r => [r.name, r.offline]));
    expect(agreed).toBe(judged.length);
  });
});
