import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { ControlPlaneDelivery, IstioControlPlane, IstioProfile, RevisionTag } from '../../src';
import { expectAmbientInstall, expectProductionIstiod, production } from '../support/control-plane-expectations';
import { ChartInstall, chartDefaults, chartInstalls, helmTemplate, undeclaredValues, withHelm } from '../support/helm';
import { ofKind, synth } from '../support/synth';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exampleNames, synthExample } = require('../../scripts/synth-examples');

// What most GitOps users deploy is our Helm values in Argo CD Applications or Flux HelmReleases:
// Helm renders them here with Istio's own charts (from the pinned istio.io/istio module), and the
// rendered objects must carry every prop, as istioctl-acceptance.test.ts checks for IstioOperator.

const deliveries: Array<[string, () => ControlPlaneDelivery]> = [
  ['Argo CD', () => ControlPlaneDelivery.argoCd()],
  ['Flux', () => ControlPlaneDelivery.flux()],
];

/** Each chart install of a control plane, with what Helm renders for it. */
function installs(props: any, delivery: ControlPlaneDelivery): Array<{ install: ChartInstall; objects: any[] }> {
  const c = new Chart(Testing.app(), 'cp');
  new RevisionTag(c, 'stable', { tag: 'prod-stable', revision: '1-31-4' });
  new IstioControlPlane(c, 'istio', { ...props, delivery });
  return chartInstalls(synth(c)).map(install => ({ install, objects: helmTemplate(install) }));
}

/** Every value of every install is one its chart reads. */
function expectOnlyReadValues(all: ChartInstall[]): void {
  for (const install of all) expect([install.chart, undeclaredValues(install.values, chartDefaults(install.chart))]).toEqual([install.chart, []]);
}

describe.each(deliveries)('Helm renders the %s delivery\'s values with Istio\'s charts', (_name, delivery) => {
  withHelm()('revisioned install: istiod-<rev>, replicas, resources, mesh config, tracing, revision tag; every value is one the chart reads', () => {
    const rendered = installs(production, delivery());
    expect(rendered.map(r => r.install.chart)).toEqual(['base', 'istiod']);
    expectOnlyReadValues(rendered.map(r => r.install));
    expectProductionIstiod(rendered.flatMap(r => r.objects));
  });

  withHelm()('ambient install: istio-cni and ztunnel DaemonSets, ambient istiod', () => {
    const rendered = installs({ revision: '1-31-4', profile: IstioProfile.AMBIENT }, delivery());
    expect(rendered.map(r => r.install.chart).sort()).toEqual(['base', 'cni', 'istiod', 'ztunnel']);
    expectOnlyReadValues(rendered.map(r => r.install));
    const out = rendered.flatMap(r => r.objects);
    expectAmbientInstall(out);
    // The release the app targets, in every chart (each reads Istio's global hub and tag its own way);
    // the image variant is the chart's default (distroless in the pinned charts).
    expect(ofKind(out, 'DaemonSet').map(d => d.spec.template.spec.containers[0].image.replace(/-distroless$/, '')).sort())
      .toEqual(['registry.istio.io/release/install-cni:1.31.4', 'registry.istio.io/release/ztunnel:1.31.4']);
    expect(ofKind(out, 'Service').map(svc => svc.metadata.name)).toContain('istiod-1-31-4');
  });
});

describe('the Helm check fails on a broken value', () => {
  withHelm()('a value of the wrong shape is Helm\'s error; a misspelt key is one the chart does not read', () => {
    const [, istiod] = installs({ revision: '1-31-4' }, ControlPlaneDelivery.argoCd()).map(r => r.install);
    expect(() => helmTemplate({ ...istiod, values: { ...istiod.values, pilot: 'two replicas' } })).toThrow(/istio-discovery/);
    const misspelt = { ...istiod.values, pilot: { ...istiod.values.pilot, replicaCout: 3 } };
    expect(undeclaredValues(misspelt, chartDefaults('istiod'))).toEqual(['pilot.replicaCout']);
  });
});

describe('every example\'s Istio chart installs render with Helm', () => {
  withHelm()('no Helm error, no value the chart does not read, and each istiod runs the release its install names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-examples-'));
    const seen: string[] = [];
    // Only examples with a control plane have chart installs.
    const withControlPlane = (exampleNames() as string[]).filter(n => /IstioControlPlane/.test(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', n, 'main.ts'), 'utf-8')));
    for (const name of withControlPlane) {
      synthExample(name, path.join(dir, name));
      const objects = fs.readdirSync(path.join(dir, name)).filter(f => f.endsWith('.yaml'))
        .flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(dir, name, f), 'utf-8')).map(d => d.toJSON()).filter(o => o));
      for (const install of chartInstalls(objects)) {
        seen.push(`${name}/${install.kind}/${install.releaseName}`);
        expect([name, install.releaseName, undeclaredValues(install.values, chartDefaults(install.chart))]).toEqual([name, install.releaseName, []]);
        const rendered = helmTemplate(install);
        if (install.chart !== 'istiod') continue;
        const istiod = ofKind(rendered, 'Deployment').find(d => d.metadata.name === (install.values.revision ? `istiod-${install.values.revision}` : 'istiod'));
        expect([name, istiod.spec.template.spec.containers[0].image.replace(/-distroless$/, '')]).toEqual([name, `${install.values.global.hub}/pilot:${install.values.global.tag}`]);
      }
    }
    // The Argo CD and Flux examples, the ambient one and the canary upgrade (two istiod versions) are among them.
    expect(seen).toEqual(expect.arrayContaining(['control-plane/Application/istiod', 'control-plane-flux/HelmRelease/istiod',
      'control-plane-ambient/Application/ztunnel', 'control-plane-canary-upgrade/Application/istiod-1-30-3']));
  });
});
