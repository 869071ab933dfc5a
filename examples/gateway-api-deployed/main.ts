import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CanaryRelease, CanaryVersion, MeshIngress, ServiceReference, StringMatch, TrafficApi } from '../../src';
import { addBookinfo } from '../bookinfo-app';

/**
 * Gateway API with the gateway Istio deploys for the Gateway (no IngressGateway in the app):
 * Istio makes the Deployment and Service `bookinfo-istio` in istio-ingress, a port per listener.
 * One public host, an admin host that requires a token at the gateway, a ledger service that holds
 * its own certificate (passed through on the same port: the admin host's policy must not close it),
 * and a gRPC service whose canary renders as a GRPCRoute (its port says grpc), reached from outside
 * by its service path.
 */
export function build(app: App): void {
  TrafficApi.use(app, TrafficApi.gatewayApi());
  const mesh = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  const bookinfo = addBookinfo(mesh, 'bookinfo');
  const productpage = ServiceReference.fromService(bookinfo.services.productpage);

  const ingress = new MeshIngress(mesh, 'bookinfo', { namespace: 'istio-ingress' });
  const shop = ingress.addHost('bookinfo.example.com', { credentialName: 'bookinfo-cert' });
  shop.addRoute({ path: StringMatch.exact('/productpage'), service: productpage });
  shop.addRoute({ path: StringMatch.prefix('/static'), service: productpage });
  ingress.addHost('admin.example.com', {
    credentialName: 'admin-cert',
    jwt: { issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' }] },
  }).addRoute({ service: ServiceReference.fromService(bookinfo.services.details) });

  // TLS passed through to a service that terminates it, on the port the admin host's token policy guards.
  const ledgerLabels = { app: 'ledger', version: 'v1' };
  const ledger = new kplus.Deployment(mesh, 'ledger', {
    metadata: { name: 'ledger' },
    replicas: 1,
    select: false,
    podMetadata: { labels: ledgerLabels },
    containers: [{ name: 'ledger', image: 'ghcr.io/example/ledger:1.0', ports: [{ number: 8443, name: 'tls' }], securityContext: { user: 1000, group: 1000 } }],
  });
  ledger.select(kplus.LabelSelector.of({ labels: ledgerLabels }));
  const ledgerService = new kplus.Service(mesh, 'ledger-svc', {
    metadata: { name: 'ledger' },
    selector: kplus.Pods.select(mesh, 'ledger-pods', { labels: { app: 'ledger' } }),
    ports: [{ port: 8443, targetPort: 8443, name: 'tls' }],
  });
  ingress.addPassthroughHost('ledger.example.com', { service: ServiceReference.fromService(ledgerService) });

  // A gRPC service in two versions: the port named grpc makes its mesh route a GRPCRoute.
  const greeter = (version: string) => {
    const labels = { app: 'greeter', version };
    const deployment = new kplus.Deployment(mesh, `greeter-${version}`, {
      metadata: { name: `greeter-${version}`, labels },
      replicas: 1,
      select: false,
      podMetadata: { labels },
      containers: [{ name: 'greeter', image: `ghcr.io/example/greeter:${version}`, ports: [{ number: 50051, name: 'grpc' }], securityContext: { user: 1000, group: 1000 } }],
    });
    deployment.select(kplus.LabelSelector.of({ labels }));
    return deployment;
  };
  const [v1, v2] = [greeter('v1'), greeter('v2')];
  const greeterService = new kplus.Service(mesh, 'greeter-svc', {
    metadata: { name: 'greeter', labels: { app: 'greeter' } },
    selector: kplus.Pods.select(mesh, 'greeter-pods', { labels: { app: 'greeter' } }),
    ports: [{ port: 50051, targetPort: 50051, name: 'grpc' }],
  });
  new CanaryRelease(mesh, 'greeter', {
    service: ServiceReference.fromService(greeterService),
    stable: CanaryVersion.fromWorkload(v1),
    canary: CanaryVersion.fromWorkload(v2),
    canaryWeight: 20,
    canaryHeaders: { 'x-canary': StringMatch.exact('always') },
  });
  shop.addRoute({ path: StringMatch.prefix('/helloworld.Greeter'), service: ServiceReference.fromService(greeterService) });
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
