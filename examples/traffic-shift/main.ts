import { App, Chart } from 'cdk8s';
import { CanaryRelease, CanaryVersion, ExternalGatewayWorkload, MeshIngress, ServiceReference, StringMatch } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Istio's traffic-shifting task: 50% of reviews traffic to v1, 50% to v3, with
 * Bookinfo reachable through Istio's own ingress gateway (installed with Istio,
 * outside this app), as the task's bookinfo-gateway does.
 */
export function build(app: App): void {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(chart, 'bookinfo');
  new CanaryRelease(chart, 'reviews', {
    service: ServiceReference.fromService(bookinfo.services.reviews),
    stable: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v1']),
    canary: CanaryVersion.fromWorkload(bookinfo.deployments['reviews-v3']),
    canaryWeight: 50,
  });

  const gateway = ExternalGatewayWorkload.fromSelector({ istio: 'ingressgateway' }, 'istio-system');
  const ingress = new MeshIngress(chart, 'bookinfo-gateway', { gateway });
  // The task serves every host over plain HTTP; production hosts set credentialName instead.
  const anyHost = ingress.addHost('*', { httpOnly: true });
  const productpage = ServiceReference.fromService(bookinfo.services.productpage);
  anyHost.addRoute({ path: StringMatch.exact('/productpage'), service: productpage });
  anyHost.addRoute({ path: StringMatch.prefix('/static'), service: productpage });
  anyHost.addRoute({ path: StringMatch.exact('/login'), service: productpage });
  anyHost.addRoute({ path: StringMatch.exact('/logout'), service: productpage });
  anyHost.addRoute({ path: StringMatch.prefix('/api/v1/products'), service: productpage });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
