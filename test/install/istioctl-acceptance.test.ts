import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ControlPlaneDelivery, IstioControlPlane, IstioProfile, RevisionTag } from '../../src';
import { expectAmbientInstall, expectProductionIstiod, production } from '../support/control-plane-expectations';
import { istioctl, withIstioctl } from '../support/istioctl';
import { ofKind, synth } from '../support/synth';

// istioctl manifest generate is Istio's own renderer of its charts: if it accepts the
// IstioOperator built from our values, and the rendered objects carry the settings,
// the same values are right for the Helm charts Argo CD and Flux install.

function render(props: any): any[] {
  const c = new Chart(Testing.app(), 'cp');
  new RevisionTag(c, 'stable', { tag: 'prod-stable', revision: '1-31-4' });
  new IstioControlPlane(c, 'istio', { ...props, delivery: ControlPlaneDelivery.rendered({ istioctl: istioctl() }) });
  return synth(c);
}

describe('istioctl manifest generate accepts our IstioOperator and applies every prop', () => {
  withIstioctl()('revisioned install: istiod-<rev>, replicas, resources, mesh config, tracing, revision tag', () => {
    const out = render(production);
    expectProductionIstiod(out);
    expect(ofKind(out, 'CustomResourceDefinition')).toHaveLength(15);
    expect(ofKind(out, 'Namespace').map(n => n.metadata.name)).toEqual(['istio-system']);
  });

  withIstioctl()('ambient install: istio-cni and ztunnel DaemonSets, ambient istiod', () => {
    expectAmbientInstall(render({ revision: '1-31-4', profile: IstioProfile.AMBIENT }));
  });

  withIstioctl()('istioctl rejects what Istio does not know (the oracle is strict)', () => {
    const c = new Chart(Testing.app(), 'cp');
    const cp = new IstioControlPlane(c, 'istio', { delivery: ControlPlaneDelivery.istioOperator() });
    const bad = { ...cp._istioOperatorSpec(), values: { pilot: { notAField: true } } };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iop-')), 'bad.yaml');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec: bad }));
    expect(() => execFileSync(istioctl()!, ['manifest', 'generate', '-f', file], { stdio: 'pipe' })).toThrow(/unknown field "notAField"/);
  });
});

test('the rendered delivery says how to get istioctl when it is missing', () => {
  expect(() => new IstioControlPlane(new Chart(Testing.app(), 'cp'), 'istio', { delivery: ControlPlaneDelivery.rendered({ istioctl: '/nonexistent/istioctl' }) }))
    .toThrow(/IstioControlPlane 'cp\/istio': the rendered delivery runs 'istioctl manifest generate' at synth time, but "\/nonexistent\/istioctl" was not found. Install istioctl 1.31.4/);
});

test('the rendered delivery asks for RevisionTags to be declared first', () => {
  const c = new Chart(Testing.app(), 'cp');
  const fake = `${__dirname}/../fixtures/fake-istioctl.sh`;
  new IstioControlPlane(c, 'istio', { revision: '1-31-4', delivery: ControlPlaneDelivery.rendered({ istioctl: fake }) });
  new RevisionTag(c, 'stable', { tag: 'prod-stable', revision: '1-31-4' });
  expect(() => synth(c)).toThrow(/the rendered delivery ran istioctl when the control plane was created, before RevisionTag\(s\) 'prod-stable' existed/);
});
