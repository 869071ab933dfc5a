import { App, Testing } from 'cdk8s';
import { build } from '../../examples/control-plane-canary-upgrade/main';
import { IstioVersion } from '../../src';
import { ofKind } from '../support/synth';

// The documented control-plane canary upgrade: every step synthesizes and shows
// which Applications exist and where each tag points.
function step(n: number): { apps: Record<string, any>; namespaces: Record<string, string>; target: string } {
  const app: App = Testing.app();
  build(app, n);
  const target = IstioVersion.of(app);
  const out = app.charts.flatMap(c => Testing.synth(c));
  const apps = Object.fromEntries(ofKind(out, 'Application').map(a => [a.metadata.name, a.spec.source]));
  const namespaces = Object.fromEntries(ofKind(out, 'Namespace').map(ns => [ns.metadata.name, ns.metadata.labels['istio.io/rev']]));
  return { apps, namespaces, target };
}

test.each([
  [1, { 'istio-base': '1.30.3', 'istiod-1-30-3': '1.30.3' }, { 'istiod-1-30-3': ['prod-stable'] }, '1.30.3'],
  [2, { 'istiod-1-30-3': '1.30.3', 'istio-base': '1.31.4', 'istiod-1-31-4': '1.31.4' }, { 'istiod-1-30-3': ['prod-stable'], 'istiod-1-31-4': ['prod-canary'] }, '1.30.3'],
  [3, { 'istiod-1-30-3': '1.30.3', 'istio-base': '1.31.4', 'istiod-1-31-4': '1.31.4' }, { 'istiod-1-30-3': undefined, 'istiod-1-31-4': ['prod-canary', 'prod-stable'] }, '1.30.3'],
  [4, { 'istio-base': '1.31.4', 'istiod-1-31-4': '1.31.4' }, { 'istiod-1-31-4': ['prod-stable'] }, '1.31.4'],
])('canary upgrade step %i (config is written for the oldest istiod still running)', (n, versions, tags, target) => {
  const { apps, namespaces, target: targeted } = step(n);
  expect(targeted).toBe(target);
  expect(Object.fromEntries(Object.entries(apps).map(([name, s]) => [name, s.targetRevision]))).toEqual(versions);
  for (const [name, t] of Object.entries(tags)) expect(apps[name].helm.valuesObject.revisionTags).toEqual(t);
  expect(namespaces.shop).toBe('prod-stable');
});
