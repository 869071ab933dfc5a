import { App, Chart } from 'cdk8s';
import { IngressGateway, IstioControlPlane, RevisionTag } from '../../src';

/**
 * A canary upgrade of the control plane by revisions, one commit per step:
 *   1. only 1-30-3 runs; tag prod-stable → 1-30-3; namespaces follow the tag.
 *   2. add 1-31-4 next to it (base moves to the new version); tag prod-canary → 1-31-4.
 *   3. move prod-stable to 1-31-4 (a one-line change); restart workloads.
 *   4. remove 1-30-3 and the canary tag.
 * This file is step 3; `build(app, step)` renders any step.
 */
export function build(app: App, step = 3): void {
  const chart = new Chart(app, 'istio-upgrade');
  const oldRevision = step < 4;
  const newRevision = step >= 2;
  if (oldRevision) {
    new IstioControlPlane(chart, 'istio-1-30-3', { version: '1.30.3', revision: '1-30-3', manageBase: !newRevision });
  }
  let istio: IstioControlPlane | undefined;
  if (newRevision) istio = new IstioControlPlane(chart, 'istio-1-31-4', { revision: '1-31-4' });
  new RevisionTag(chart, 'prod-stable', { tag: 'prod-stable', revision: step >= 3 ? '1-31-4' : '1-30-3' });
  const canary = step === 2 || step === 3 ? new RevisionTag(chart, 'prod-canary', { tag: 'prod-canary', revision: '1-31-4' }) : undefined;

  // Namespaces and the gateway follow the stable tag; one namespace tries the canary first.
  const stable = chart.node.findChild('prod-stable') as RevisionTag;
  const enroller = istio ?? (chart.node.findChild('istio-1-30-3') as IstioControlPlane);
  enroller.enrolNamespaceNamed('shop', { revisionTag: stable });
  enroller.enrolNamespaceNamed('istio-ingress', { revisionTag: stable });
  if (canary) enroller.enrolNamespaceNamed('shop-preview', { revisionTag: canary });
  new IngressGateway(chart, 'ingress', { namespace: 'istio-ingress', revision: 'prod-stable' });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
