import { App, Chart } from 'cdk8s';
import { AuthorizationAction, AuthorizationPolicy, WorkloadSelector } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/** An AuthorizationPolicy that denies /admin paths on productpage to everyone. */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  new AuthorizationPolicy(chart, 'deny-admin', {
    metadata: { name: 'deny-admin' },
    selector: WorkloadSelector.fromWorkload(bookinfo.deployments['productpage-v1']),
    action: AuthorizationAction.DENY,
    // Scoped to the HTTP port: a DENY with HTTP fields on a TCP port would match everything there.
    rules: [{ operations: [{ paths: ['/admin', '/admin/*'], ports: [9080] }] }],
  });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
