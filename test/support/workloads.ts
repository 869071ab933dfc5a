import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** A Deployment with `app`/`version` pod labels and a Service selecting the app. */
export function versioned(chart: Chart, app: string, versions: string[], port = 9080): { service: kplus.Service; deployments: kplus.Deployment[] } {
  const deployments = versions.map(version => {
    const labels = { app, version };
    const d = new kplus.Deployment(chart, `${app}-${version}`, {
      select: false,
      podMetadata: { labels },
      containers: [{ image: `example/${app}:${version}`, ports: [{ number: port, name: 'http' }] }],
    });
    d.select(kplus.LabelSelector.of({ labels }));
    return d;
  });
  const service = new kplus.Service(chart, `${app}-svc`, {
    metadata: { name: app },
    selector: kplus.Pods.select(chart, `${app}-pods`, { labels: { app } }),
    ports: [{ port, targetPort: port, name: 'http' }],
  });
  return { service, deployments };
}
