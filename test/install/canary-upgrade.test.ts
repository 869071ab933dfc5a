import { App, Testing } from 'cdk8s';
import { build } from '../../examples/control-plane-canary-upgrade/main';
import { ofKind } from '../support/synth';

// The documented control-plane canary upgrade: every step synthesizes and shows
// which Applications exist and where each tag points.
function step(n: number): { apps: Record<string, any>; namespaces: Record<string, string> } {
  const app: App = Testing.app();
  build(app, n);
  const out = app.charts.flatMap(c => Testing.synth(c));
  const apps = Object.fromEntries(ofKind(out, 'Application').map(a => [a.metadata.name, a.spec.source]));
  const namespaces = Object.fromEntries(ofKind(out, 'Namespace').map(ns => [ns.metadata.name, ns.metadata.labels['istio.io/rev']]));
  return { apps, namespaces };
}

test.each([
  [1, { 'istio-base': '1.29.2', 'istiod-1-29-2': '1.29.2' }, { 'istiod-1-29-2': ['prod-stable'] }],
  [2, { 'istiod-1-29-2': '1.29.2', 'istio-base': '1.30.3', 'istiod-1-30-3': '1.30.3' }, { 'istiod-1-29-2': ['prod-stable'], 'istiod-1-30-3': ['prod-canary'] }],
  [3, { 'istiod-1-29-2': '1.29.2', 'istio-base': '1.30.3', 'istiod-1-30-3': '1.30.3' }, { 'istiod-1-29-2': undefined, 'istiod-1-30-3': ['prod-canary', 'prod-stable'] }],
  [4, { 'istio-base': '1.30.3', 'istiod-1-30-3': '1.30.3' }, { 'istiod-1-30-3': ['prod-stable'] }],
])('canary upgrade step %i', (n, versions, tags) => {
  const { apps, namespaces } = step(n);
  expect(Object.fromEntries(Object.entries(apps).map(([name, s]) => [name, s.targetRevision]))).toEqual(versions);
  for (const [name, t] of Object.entries(tags)) expect(apps[name].helm.valuesObject.revisionTags).toEqual(t);
  expect(namespaces.shop).toBe('prod-stable');
});
