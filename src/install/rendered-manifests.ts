import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Yaml } from 'cdk8s';
import { RenderedDeliveryOptions } from './control-plane-delivery';
import { ControlPlaneModel } from './control-plane-model';
import { fail } from '../core/errors';

/**
 * Runs `istioctl manifest generate` on the IstioOperator for this control plane and
 * adds every object it prints, plus the control-plane Namespace (which istioctl
 * does not render). Runs in the constructor, like cdk8s' `Helm`.
 * @internal
 */
export function emitRenderedManifests(cp: ControlPlaneModel, spec: any, options: RenderedDeliveryOptions): void {
  const istioctl = options.istioctl ?? process.env.ISTIOCTL ?? 'istioctl';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-'));
  try {
    const iop = path.join(dir, 'iop.yaml');
    fs.writeFileSync(iop, JSON.stringify({ apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec }));
    let out: string;
    try {
      out = execFileSync(istioctl, ['manifest', 'generate', '-f', iop], { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e: any) {
      if (e.code === 'ENOENT') {
        fail(cp, `the rendered delivery runs 'istioctl manifest generate' at synth time, but ${JSON.stringify(istioctl)} was not found. `
          + 'Install istioctl ' + cp.version + ' (https://istio.io/latest/docs/setup/additional-setup/download-istio-release/, '
          + `or 'go install istio.io/istio/istioctl/cmd/istioctl@${cp.version}') and put it on PATH, set $ISTIOCTL or the istioctl option, or choose another delivery.`);
      }
      fail(cp, `'istioctl manifest generate' failed: ${String(e.stderr ?? e.message).trim()}`);
    }
    const rendered = path.join(dir, 'rendered.yaml');
    fs.writeFileSync(rendered, out);
    const docs = Yaml.load(rendered).filter((d: any) => d && d.kind);
    if (!cp.node.root.node.findAll().some(c => c instanceof ApiObject && c.kind === 'Namespace' && c.name === cp.namespace)) {
      new ApiObject(cp, `Namespace-${cp.namespace}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: cp.namespace } });
    }
    for (const doc of docs) {
      const id = [doc.kind, doc.metadata?.namespace, doc.metadata?.name].filter(Boolean).join('-');
      new ApiObject(cp, id, doc);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
