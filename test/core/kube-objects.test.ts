import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CanaryVersion, IstioControlPlane, MeshPrincipal, ServiceReference, WorkloadSelector } from '../../src';

// Users' objects are read from the Kubernetes objects they synthesize, whatever built them.
function deploymentObject(chart: Chart, id: string, labels: { [k: string]: string }, annotations?: { [k: string]: string }): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: id },
    spec: {
      selector: { matchLabels: { app: labels.app } },
      template: { metadata: { labels, annotations }, spec: { containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 9080 }] }] } },
    },
  } as any);
}

test('a plain ApiObject Deployment gives its selector, ports and version labels', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const v1 = deploymentObject(chart, 'reviews-v1', { app: 'reviews', version: 'v1' });
  const selector = WorkloadSelector.fromWorkload(v1);
  expect(selector.labels).toEqual({ app: 'reviews' });
  expect(selector._ports).toEqual([9080]);
  expect(CanaryVersion.fromWorkload(v1)._podLabels(chart, 'stable')).toEqual({ app: 'reviews', version: 'v1' });
});

test('a cdk8s-plus-33 Service and ServiceAccount resolve to their host and identity', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const service = new kplus.Service(chart, 'svc', { metadata: { name: 'reviews' }, ports: [{ port: 9080 }] });
  expect(ServiceReference.fromService(service)._resolve(chart)).toMatchObject({ host: 'reviews.shop.svc.cluster.local', namespace: 'shop' });
  const account = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'bookinfo-reviews' } });
  expect(MeshPrincipal.fromServiceAccount(account).principal).toBe('cluster.local/ns/shop/sa/bookinfo-reviews');
});

test('enrolling a plain ApiObject workload patches its pod template (annotations created when missing)', () => {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const istio = new IstioControlPlane(platform, 'istio');
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const raw = deploymentObject(chart, 'raw', { app: 'raw' });
  istio.enrolWorkload(raw, { proxy: { holdApplicationUntilProxyStarts: true } });
  const metadata = raw.toJson().spec.template.metadata;
  expect(metadata.labels['sidecar.istio.io/inject']).toBe('true');
  expect(metadata.annotations['proxy.istio.io/config']).toBe('{"holdApplicationUntilProxyStarts":true}');
  expect(() => istio.enrolWorkload(raw)).toThrow(/already enrolled \(pod label sidecar.istio.io\/inject=true\)/);

  const plus = new kplus.Deployment(chart, 'plus', { containers: [{ image: 'app' }] });
  istio.enrolWorkload(plus);
  expect(plus.podMetadata.getLabel('sidecar.istio.io/inject')).toBe('true');
  const ns = new kplus.Namespace(chart, 'ns', { metadata: { name: 'shop' } });
  istio.enrolNamespace(ns);
  expect(ApiObject.of(ns).metadata.getLabel('istio-injection')).toBe('enabled');
});

test('cdk8s-plus objects are read before they are complete: a Deployment before its containers, a Service before bind()', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const d = new kplus.Deployment(chart, 'd', { podMetadata: { labels: { app: 'a' } } });
  expect(WorkloadSelector.fromWorkload(d).labels).toEqual({ app: 'a' });
  d.addContainer({ image: 'a', ports: [{ number: 8080 }] });
  expect(WorkloadSelector.fromWorkload(d)._ports).toEqual([8080]);
  const svc = new kplus.Service(chart, 'svc', { metadata: { name: 'a' }, selector: d });
  const ref = ServiceReference.fromService(svc);
  expect(ref._resolve(chart)).toMatchObject({ host: 'a.shop.svc.cluster.local', ports: [] });
  svc.bind(8080);
  expect(ref._resolve(chart).ports).toEqual([8080]);
});

test('a plain object that cannot render yet is named, not reported from inside cdk8s', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const broken = new ApiObject(chart, 'broken', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'broken' } });
  broken.addJsonPatch({ toJson: () => { throw new Error('bad patch'); } } as any);
  expect(() => WorkloadSelector.fromWorkload(broken)).toThrow(/^'shop\/broken' cannot be read yet: Failed serializing construct at path 'shop\/broken'/);
});

test('enrolling plain objects creates the pod template metadata they lack, and refuses one without a pod template', () => {
  const app = Testing.app();
  const istio = new IstioControlPlane(new Chart(app, 'platform'), 'istio');
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const bare = new ApiObject(chart, 'bare', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bare' },
    spec: { selector: { matchLabels: {} }, template: { spec: { containers: [{ name: 'c', image: 'c' }] } } },
  } as any);
  istio.enrolWorkload(bare, { proxy: { holdApplicationUntilProxyStarts: true } });
  expect(bare.toJson().spec.template.metadata).toEqual({
    labels: { 'sidecar.istio.io/inject': 'true' }, annotations: { 'proxy.istio.io/config': '{"holdApplicationUntilProxyStarts":true}' },
  });
  const job = new ApiObject(chart, 'job', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'job' },
    spec: { template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'c' }] } } },
  } as any);
  istio.enrolWorkload(job);
  expect(job.toJson().spec.template.metadata.labels).toEqual({ 'sidecar.istio.io/inject': 'true' });
  const cron = new ApiObject(chart, 'cron', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cron' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'c' }] } } } } },
  } as any);
  istio.enrolWorkload(cron);
  expect(cron.toJson().spec.jobTemplate.spec.template.metadata.labels).toEqual({ 'sidecar.istio.io/inject': 'true' });
  const hollow = new ApiObject(chart, 'hollow', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hollow' } });
  expect(() => istio.enrolWorkload(hollow)).toThrow(/workload 'shop\/hollow' has no pod template \(spec.template\), so there is no pod to enrol/);
});
