import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import {
  AuthorizationAction, AuthorizationPolicy, DestinationRule, Gateway, IstioControlPlane, MeshAnalyzer, PeerAuthentication, PortProtocol,
  RequestAuthentication, ServerTlsMode, ServiceEntry, ServiceReference, ServiceResilience, Sidecar, Telemetry, TlsVersion, VirtualService,
  WorkloadSelector, ZeroTrustNamespace,
} from '../../src';
import { findValidatorBinary, validateWithIstio } from '../../src/analysis/istio-validator';
import { withoutSchemaCheck } from '../support/schema-setup';

const host = 'reviews.shop.svc.cluster.local';
const app = () => new Chart(Testing.app(), 'mesh', { namespace: 'shop' });
const findings = (c: Chart) => withoutSchemaCheck(() => MeshAnalyzer.of(c).analyze());
const codes = (c: Chart) => findings(c).map(f => f.code);
const synthOf = (c: Chart) => withoutSchemaCheck(() => Testing.synth(c));
const routed = (c: Chart, id = 'reviews') => {
  const vs = new VirtualService(c, id, { metadata: { name: id }, hosts: [host] });
  vs.addHttpRoute({ route: [{ destination: { host } }] });
  return vs;
};

describe("Istio's own validation at synth", () => {
  test('the validator binary of this checkout is found (the build links it into .validator/)', () => {
    expect(findValidatorBinary()).toMatch(/istio-validator$/);
  });

  test('Istio\'s webhook rejects a negative weight: synth fails naming the code, the object, the construct and Istio\'s message', () => {
    const c = app();
    routed(c).addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', -5));
    expect(() => synthOf(c)).toThrow(/\[MeshAnalysis\] IST0106 VirtualService shop\/reviews \('mesh\/reviews'\): Istio's validation rejects it: weight -5 < 0/);
    expect(() => synthOf(c)).not.toThrow(/\[\]/);
  });

  test('a valid object passes', () => {
    const c = app();
    routed(c);
    expect(codes(c)).toEqual([]);
  });

  test('a typo in an escape-hatch patch is an error, not a silently pruned field (closed CRD schema)', () => {
    const c = app();
    routed(c).addJsonPatch(JsonPatch.add('/spec/http/0/timout', '5s'));
    const f = findings(c);
    expect(f.map(x => x.code)).toEqual(['CDK8SISTIO004']);
    expect(f[0].message).toMatch(/the Kubernetes API server would reject it or silently drop fields \(Istio 1\.31\.4 CRD schema\): unknown fields \[spec\.http\[0\]\.timout\]/);
  });

  test('the CRDs\' CEL rules run (x-kubernetes-validations): a port out of range', () => {
    const c = app();
    new ServiceEntry(c, 'api', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: PortProtocol.HTTPS }] })
      .addJsonPatch(JsonPatch.replace('/spec/ports/0/number', 70000));
    expect(findings(c).map(f => f.message).join('\n')).toMatch(/port must be between 1-65535/);
  });

  test('Istio\'s warnings are warnings: printed, not fatal, suppressible per resource; its errors are not suppressible', () => {
    const c = app();
    const ap = new AuthorizationPolicy(c, 'deny', { action: AuthorizationAction.DENY, rules: [{ operations: [{ paths: ['/admin'] }] }] });
    expect(findings(c)).toEqual([expect.objectContaining({ code: 'IST0106', severity: 'WARNING', message: expect.stringMatching(/deny all traffic to TCP ports/) })]);
    ap.metadata.addAnnotation('galley.istio.io/analyze-suppress', 'IST0106');
    expect(codes(c)).toEqual([]);
    const broken = app();
    const vs = routed(broken);
    vs.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', -5));
    vs.metadata.addAnnotation('galley.istio.io/analyze-suppress', '*');
    MeshAnalyzer.of(broken).suppress('IST0106');
    expect(codes(broken)).toEqual(['IST0106']);
  });

  test('istioValidation = false and CDK8S_ISTIO_VALIDATION=off turn it off (the mesh analysis still runs)', () => {
    const c = app();
    routed(c).addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', -5));
    MeshAnalyzer.of(c).istioValidation = false;
    expect(codes(c)).toEqual([]);
    const d = app();
    routed(d).addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', -5));
    process.env.CDK8S_ISTIO_VALIDATION = 'off';
    try {
      expect(codes(d)).toEqual([]);
    } finally {
      delete process.env.CDK8S_ISTIO_VALIDATION;
    }
    expect(codes(d)).toEqual(['IST0106']);
  });

  test('objects Istio rejects are left out of the cross-resource checks; with validation off, a malformed one is a clear error', () => {
    const c = app();
    new ApiObject(c, 'raw', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'raw' }, spec: { hosts: ['a'], http: { route: [] } } });
    expect(codes(c)).toEqual(['CDK8SISTIO004', 'IST0106']);
    MeshAnalyzer.of(c).istioValidation = false;
    expect(() => codes(c)).toThrow(/The mesh analysis could not read an object whose fields have the wrong type .* Istio's validation, which is off, would name it/);
  });

  test('a validator that cannot run is a clear error, not a silent pass', () => {
    process.env.CDK8S_ISTIO_VALIDATOR = '/nonexistent/istio-validator';
    try {
      expect(() => validateWithIstio([{ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'never-validated-before' }, spec: {} }]))
        .toThrow(/Istio's validation could not run \(\/nonexistent\/istio-validator\): ENOENT: no such file or directory/);
    } finally {
      delete process.env.CDK8S_ISTIO_VALIDATOR;
    }
  });

  test('a validator that dies is a clear error, not a hang', () => {
    const fake = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fake-validator-')), 'istio-validator');
    fs.writeFileSync(fake, '#!/bin/sh\necho "panic: boom" >&2\nexit 2\n', { mode: 0o755 });
    process.env.CDK8S_ISTIO_VALIDATOR = fake;
    try {
      expect(() => validateWithIstio([{ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'dies-first' }, spec: {} }]))
        .toThrow(/Istio's validation did not answer \(.*fake-validator-.*\): panic: boom/);
    } finally {
      delete process.env.CDK8S_ISTIO_VALIDATOR;
    }
  });

  test('one process judges every object of a synth; results are reused for identical objects', () => {
    const objects = [1, 2, 3].map(i => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `dr-${i}`, namespace: 'shop' }, spec: { host: `h${i}` } }));
    expect(validateWithIstio(objects)).toEqual([1, 2, 3].map(() => ({ errors: [], warnings: [] })));
    process.env.CDK8S_ISTIO_VALIDATOR = '/nonexistent/istio-validator'; // a second start would fail
    try {
      expect(validateWithIstio(objects)).toHaveLength(3);
    } finally {
      delete process.env.CDK8S_ISTIO_VALIDATOR;
    }
  });
});

describe('one identity per object (CDK8SISTIO005)', () => {
  test('two objects with one group, kind, namespace and name fail naming both construct paths', () => {
    const c = app();
    new DestinationRule(c, 'a', { metadata: { name: 'reviews' }, host });
    new DestinationRule(c, 'b', { metadata: { name: 'reviews' }, host });
    expect(() => synthOf(c)).toThrow(/CDK8SISTIO005 DestinationRule shop\/reviews \('mesh\/b'\): DestinationRule shop\/reviews is also emitted by 'mesh\/a'/);
  });

  test('the same name in another namespace, kind or group is another object', () => {
    const root = Testing.app();
    const shop = new Chart(root, 'shop', { namespace: 'shop' });
    const other = new Chart(root, 'other', { namespace: 'other' });
    new DestinationRule(shop, 'dr', { metadata: { name: 'reviews' }, host });
    new DestinationRule(other, 'dr', { metadata: { name: 'reviews' }, host });
    new VirtualService(shop, 'vs', { metadata: { name: 'reviews' }, hosts: [host] }).addHttpRoute({ route: [{ destination: { host } }] });
    new ApiObject(shop, 'gw', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'reviews' }, spec: {} });
    new Gateway(shop, 'istio-gw', { metadata: { name: 'reviews' }, selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: PortProtocol.HTTP }, hosts: ['*'] }] });
    expect(MeshAnalyzer.of(shop).analyze().filter(f => f.code === 'CDK8SISTIO005')).toEqual([]);
  });

  test('cluster-scoped objects ignore the chart\'s namespace', () => {
    const root = Testing.app();
    new ApiObject(new Chart(root, 'a', { namespace: 'a' }), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new ApiObject(new Chart(root, 'b', { namespace: 'b' }), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect(MeshAnalyzer.of(root).analyze().map(f => f.code)).toEqual(['CDK8SISTIO005']);
  });
});

describe('accepted by Istio, never what was meant', () => {
  test('CDK8SISTIO006 a method not in upper case', () => {
    const c = app();
    new AuthorizationPolicy(c, 'ap', { action: AuthorizationAction.ALLOW, rules: [{ operations: [{ methods: ['get', 'POST'] }] }] });
    expect(findings(c).filter(f => f.code === 'CDK8SISTIO006').map(f => f.message)).toEqual([expect.stringMatching(/methods has 'get'.*Write 'GET'/)]);
  });

  test('CDK8SISTIO007 a path with \'*\' in the middle or without a leading \'/\'; prefixes, suffixes, templates pass', () => {
    const c = app();
    new AuthorizationPolicy(c, 'bad', { action: AuthorizationAction.ALLOW, rules: [{ operations: [{ paths: ['/api/*/edit', 'admin'] }] }] });
    new AuthorizationPolicy(c, 'good', { action: AuthorizationAction.ALLOW, rules: [{ operations: [{ paths: ['/api/*', '*.png', '*', '/a/{*}/b', '/c/{**}'] }] }] });
    const f = findings(c).filter(x => x.code === 'CDK8SISTIO007');
    expect(f.map(x => `${x.path} ${x.message}`)).toEqual([
      expect.stringMatching(/^mesh\/bad .*'\/api\/\*\/edit': '\*' only works as a whole prefix/),
      expect.stringMatching(/^mesh\/bad .*'admin': paths must start with '\/'/),
    ]);
  });

  test('CDK8SISTIO008 (warning) a claim name with dots; the nested form passes', () => {
    const c = app();
    new AuthorizationPolicy(c, 'dots', { rules: [{ conditions: [{ key: 'request.auth.claims[groups.admin]', values: ['x'] }] }] });
    new AuthorizationPolicy(c, 'nested', { rules: [{ conditions: [{ key: 'request.auth.claims[groups][admin]', values: ['x'] }] }] });
    const f = findings(c).filter(x => x.code === 'CDK8SISTIO008');
    expect(f).toEqual([expect.objectContaining({ severity: 'WARNING', path: 'mesh/dots', message: expect.stringMatching(/request\.auth\.claims\[groups\]\[admin\]/) })]);
  });

  test('CDK8SISTIO009 a CUSTOM or Telemetry provider no control plane of the app declares', () => {
    const c = app();
    new IstioControlPlane(c, 'istio', { meshConfig: { extensionProviders: [] } });
    new AuthorizationPolicy(c, 'ext', { action: AuthorizationAction.CUSTOM, provider: 'ext-authz', rules: [{}] });
    new Telemetry(c, 'tel', { tracing: [{ providers: ['otel'] }], metrics: [{ providers: ['prometheus'] }] });
    expect(findings(c).filter(x => x.code === 'CDK8SISTIO009').map(x => x.path)).toEqual(['mesh/ext', 'mesh/tel']);
    const none = app(); // no control plane in the app: providers are declared elsewhere
    new AuthorizationPolicy(none, 'ext', { action: AuthorizationAction.CUSTOM, provider: 'ext-authz', rules: [{}] });
    expect(codes(none).filter(x => x === 'CDK8SISTIO009')).toEqual([]);
  });

  test('CDK8SISTIO010 HTTP policies that select pods of an ambient namespace', () => {
    const c = app();
    new ApiObject(c, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } });
    const selector = WorkloadSelector.fromLabels({ app: 'reviews' });
    new AuthorizationPolicy(c, 'http', { selector, action: AuthorizationAction.DENY, rules: [{ operations: [{ paths: ['/admin'] }] }] });
    new AuthorizationPolicy(c, 'l4', { selector, rules: [{ sources: [{ namespaces: ['shop'] }] }] });
    new RequestAuthentication(c, 'jwt', { selector, jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] });
    const f = findings(c).filter(x => x.code === 'CDK8SISTIO010');
    expect(f.map(x => x.path)).toEqual(['mesh/http', 'mesh/jwt']);
    expect(f[0].message).toMatch(/ztunnel enforces it without them/);
  });

  test('IST0111 / CDK8SISTIO011 two namespace-wide Sidecars or PeerAuthentications in one namespace', () => {
    const c = app();
    new Sidecar(c, 'a', { egress: [{ hosts: ['./*'] }] });
    new Sidecar(c, 'b', { egress: [{ hosts: ['istio-system/*'] }] });
    new PeerAuthentication(c, 'pa1', {});
    new PeerAuthentication(c, 'pa2', {});
    new PeerAuthentication(c, 'scoped', { selector: WorkloadSelector.fromLabels({ app: 'reviews' }) });
    expect(findings(c).filter(x => ['IST0111', 'CDK8SISTIO011'].includes(x.code)).map(x => `${x.code} ${x.path}`)).toEqual(['IST0111 mesh/b', 'CDK8SISTIO011 mesh/pa2']);
  });

  test('CDK8SISTIO013 a TLS minimum above the maximum', () => {
    const c = app();
    const gw = new Gateway(c, 'gw', { selector: { istio: 'ingressgateway' } });
    gw.addServer({
      port: { number: 443, name: 'https', protocol: PortProtocol.HTTPS },
      hosts: ['a.example.com'],
      tls: { mode: ServerTlsMode.SIMPLE, credentialName: 'cert', minProtocolVersion: TlsVersion.TLSV1_3, maxProtocolVersion: TlsVersion.TLSV1_2 },
    });
    expect(findings(c).filter(x => x.code === 'CDK8SISTIO013').map(x => x.message)).toEqual([expect.stringMatching(/TLSV1_3 is above tls.maxProtocolVersion TLSV1_2/)]);
  });
});

describe('what the Kubernetes API server would reject (CDK8SISTIO012)', () => {
  const deployment = (c: Chart, selector: any, labels: any, ports: any[] = []) => new ApiObject(c, 'd', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'web', ports }] } } },
  });

  test('a selector the pod template does not carry; bad container port names', () => {
    const c = app();
    deployment(c, { app: 'web', version: 'v1' }, { app: 'web' }, [{ containerPort: 8080, name: 'http-web-frontend-x' }]);
    expect(findings(c).filter(f => f.code === 'CDK8SISTIO012').map(f => f.message)).toEqual([
      expect.stringMatching(/spec.selector.matchLabels version=v1 is not on the pod template/),
      expect.stringMatching(/ports\[0\].name "http-web-frontend-x" must be an IANA service name/),
    ]);
  });

  test('Service ports: numbers, duplicate and missing names; autoscaler bounds; object names', () => {
    const c = app();
    new ApiObject(c, 's', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 0 }, { name: 'http', port: 80 }, { port: 81 }] } });
    new ApiObject(c, 'h', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { minReplicas: 3, maxReplicas: 2 } });
    new ApiObject(c, 'n', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Web_Config' } });
    expect(findings(c).filter(f => f.code === 'CDK8SISTIO012').map(f => f.message)).toEqual([
      expect.stringMatching(/spec.ports\[0\].port must be a port number from 1 to 65535, got 0/),
      expect.stringMatching(/spec.ports\[1\].name 'http' is used twice/),
      expect.stringMatching(/spec.ports\[2\] has no name/),
      expect.stringMatching(/minReplicas\/maxReplicas .* got 3\/2/),
      expect.stringMatching(/metadata.name "Web_Config" is not a valid ConfigMap name/),
    ]);
  });

  test('well-formed objects pass', () => {
    const c = app();
    deployment(c, { app: 'web' }, { app: 'web', version: 'v1' }, [{ containerPort: 8080, name: 'http' }]);
    new ApiObject(c, 's', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    expect(findings(c).filter(f => f.code === 'CDK8SISTIO012')).toEqual([]);
  });
});

describe('errors name what the user wrote', () => {
  test('an error of an object an intent renders names the intent, and the object as where the field sits', () => {
    // Checked in the intent's own terms before the host's shared VirtualService holds it.
    expect(() => new ServiceResilience(app(), 'res', { service: ServiceReference.fromHost('reviews.mesh.svc.cluster.local'), timeout: Duration.millis(0) }))
      .toThrow(/^ServiceResilience 'mesh\/res': props\.timeout must be a whole number of milliseconds of at least 1ms, got 0ms\. Use Duration\.millis\(n\) with n >= 1\.$/);
    const zt = new ZeroTrustNamespace(app(), 'zt');
    expect(() => zt.allow('a', { to: WorkloadSelector.fromLabels({ app: 'a' }), fromNamespaces: ['x'], name: 'Bad_Name' }))
      .toThrow(/^ZeroTrustNamespace 'mesh\/zt': metadata\.name must be a DNS-1123 subdomain.* \(in the AuthorizationPolicy it renders, 'mesh\/zt\/Allow-a'\)\.$/);
  });

  test('objects created on their own still name themselves', () => {
    expect(() => new VirtualService(app(), 'vs', { hosts: [host] }).addHttpRoute({ route: [{ destination: { host } }], timeout: Duration.millis(0) }))
      .toThrow(/^VirtualService 'mesh\/vs': /);
  });

  test('a JSON patch whose path does not exist names the construct and the patch', () => {
    const root = new App({ outdir: Testing.app().outdir });
    const c = new Chart(root, 'c', { namespace: 'shop' });
    new VirtualService(c, 'vs', { hosts: [host] }).addJsonPatch(JsonPatch.replace('/spec/http/3/name', 'x'));
    expect(() => root.synthYaml()).toThrow(/VirtualService 'c\/vs': its JSON patches \(replace \/spec\/http\/3\/name\) could not be applied/);
  });
});
