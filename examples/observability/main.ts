import { App, Chart } from 'cdk8s';
import {
  ControlPlaneDelivery, IngressGateway, IstioControlPlane, MeshIngress, MeshObservability, ObservabilityDelivery, ServiceReference, StringMatch,
} from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Istio's observability walk-through: Bookinfo behind the ingress gateway with
 * Prometheus, Grafana (Istio's dashboards), Kiali and Jaeger deployed from the same
 * program. Every proxy, the gateway included, traces 100% of requests to Jaeger, so a
 * request is followed from the ingress through productpage, reviews and ratings.
 * The UIs are served at <ui>.mesh.example.com, each behind a required JWT.
 */
export function build(app: App): void {
  const control = new Chart(app, 'control-plane', { namespace: 'istio-system' });
  const istio = new IstioControlPlane(control, 'istio', {
    delivery: ControlPlaneDelivery.argoCd(),
    // The UI's token keys come from outside: istiod must not be made to fetch from inside the cluster (IST0175).
    istiod: { blockedJwksCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.169.254/32'] },
  });
  // The native form (one replica each, like Istio's samples/addons); argoCd()/flux() deliver the projects' Helm charts.
  const observability = new MeshObservability(control, 'observability', {
    controlPlane: istio,
    tracingSamplingPercent: 100,
    delivery: ObservabilityDelivery.rendered(),
  });

  const gateways = new Chart(app, 'gateways', { namespace: 'istio-ingress' });
  const ingressGateway = new IngressGateway(gateways, 'ingress', { namespace: 'istio-ingress' });

  const mesh = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(mesh, 'bookinfo');
  const ingress = new MeshIngress(mesh, 'bookinfo', { gateway: ingressGateway });
  const productpage = ServiceReference.fromService(bookinfo.services.productpage);
  ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' })
    .addRoute({ path: StringMatch.exact('/productpage'), service: productpage });

  const ui = new Chart(app, 'observability-access', { namespace: 'istio-ingress' });
  new MeshIngress(ui, 'mesh-ui', { gateway: ingressGateway }).exposeUserInterfaces(observability.userInterfaces, {
    domain: 'mesh.example.com',
    credentialName: 'mesh-ui-cert',
    jwt: {
      issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }],
      requiredClaims: { groups: ['mesh-operators'] },
    },
  });
  gateways.addDependency(control);
  mesh.addDependency(gateways);
  ui.addDependency(control, gateways);
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
