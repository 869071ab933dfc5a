import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DataPlaneMode } from '../src';

/** The workloads of Istio's Bookinfo sample, shared by the examples. */
export interface BookinfoApp {
  readonly namespace: string;
  readonly services: { [name: string]: kplus.Service };
  readonly deployments: { [name: string]: kplus.Deployment };
}

const VERSIONS: { [service: string]: string[] } = {
  productpage: ['v1'],
  details: ['v1'],
  ratings: ['v1'],
  reviews: ['v1', 'v2', 'v3'],
};

/**
 * Adds Bookinfo to a chart: a namespace in the mesh (sidecars injected, or enrolled in ambient
 * mode), one Deployment per version (labels `app` and `version`) and one Service per app
 * selecting all versions.
 */
export function addBookinfo(chart: Chart, namespace: string, dataPlane = DataPlaneMode.SIDECAR): BookinfoApp {
  const enrolment: { [key: string]: string } = dataPlane === DataPlaneMode.AMBIENT ? { 'istio.io/dataplane-mode': 'ambient' } : { 'istio-injection': 'enabled' };
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: namespace, labels: enrolment } });
  const services: { [name: string]: kplus.Service } = {};
  const deployments: { [name: string]: kplus.Deployment } = {};
  for (const [app, versions] of Object.entries(VERSIONS)) {
    const serviceAccount = new kplus.ServiceAccount(chart, `${app}-sa`, { metadata: { name: `bookinfo-${app}` } });
    for (const version of versions) {
      const labels = { app, version };
      const deployment = new kplus.Deployment(chart, `${app}-${version}`, {
        metadata: { name: `${app}-${version}`, labels },
        replicas: 1,
        select: false,
        serviceAccount,
        podMetadata: { labels },
        containers: [{
          name: app,
          image: `docker.io/istio/examples-bookinfo-${app}-${version}:1.20.3`,
          ports: [{ number: 9080, name: 'http' }],
          securityContext: { user: 1000, group: 1000 },
        }],
      });
      deployment.select(kplus.LabelSelector.of({ labels }));
      deployments[`${app}-${version}`] = deployment;
    }
    services[app] = new kplus.Service(chart, `${app}-svc`, {
      metadata: { name: app, labels: { app, service: app } },
      selector: kplus.Pods.select(chart, `${app}-pods`, { labels: { app } }),
      // Port names say the protocol so Istio does not fall back to TCP (IST0118).
      ports: [{ port: 9080, targetPort: 9080, name: 'http' }],
    });
  }
  return { namespace, services, deployments };
}
