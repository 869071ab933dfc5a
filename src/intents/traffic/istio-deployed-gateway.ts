import { IGatewayWorkload } from '../../resources/gateway-workload-reference';

/**
 * The gateway pods Istio deploys for a Gateway API Gateway that names no address (its automated
 * deployment): a Deployment and Service `<gateway>-<class>` in the Gateway's namespace, pods
 * labelled with the Gateway's name, listening on the listeners' ports themselves. @internal
 */
export class IstioDeployedGateway implements IGatewayWorkload {
  public readonly name: string;
  public readonly podLabels: { [key: string]: string };
  public readonly serviceHost: string;
  public readonly serviceAccountName: string;
  /** The pods are Istio's, made from the Gateway: none is an object of the app. */
  public readonly managedByApp = false;

  constructor(gatewayName: string, public readonly namespace: string) {
    this.name = `${gatewayName}-istio`;
    this.podLabels = { 'gateway.networking.k8s.io/gateway-name': gatewayName };
    this.serviceHost = `${this.name}.${namespace}.svc.cluster.local`;
    this.serviceAccountName = this.name;
  }

  /** Istio gives the Service a port per listener port. */
  public hasServicePort(_port: number): boolean {
    return true;
  }

  /** The pods listen on the listener ports (Istio lets them bind ports below 1024). */
  public podPortsFor(servicePort: number): number[] {
    return [servicePort];
  }
}
