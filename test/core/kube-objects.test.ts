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
