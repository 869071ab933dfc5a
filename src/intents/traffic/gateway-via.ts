import { IstioDeployedGateway } from './istio-deployed-gateway';
import { ExpectedRequest } from '../../core/expectations';
import { IGatewayWorkload } from '../../resources/gateway-workload-reference';

/**
 * How the semantics harness enters through an ingress gateway: its Service when the app
 * or Istio deploys it for a Gateway, else pods it plays as Istio's gateway chart installs them
 * (ports 80 and 443 only); undefined when neither can be played. @internal
 */
export function gatewayVia(workload: IGatewayWorkload, ports: Array<number | undefined>): ExpectedRequest['via'] | undefined {
  const service = workload.serviceHost?.split('.');
  const known = workload.managedByApp || workload instanceof IstioDeployedGateway;
  if (known && service && service.length >= 2) return { namespace: service[1], service: service[0] };
  if (!workload.managedByApp && workload.namespace && ports.every(p => p === undefined || p === 80 || p === 443)) {
    return { namespace: workload.namespace, labels: workload.podLabels };
  }
  return undefined;
}
