import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { checkHost } from '../core/names';

/** A resolved service: the FQDN host routes address and its port. @internal */
export interface ResolvedService {
  readonly host: string;
  readonly namespace?: string;
  readonly port?: number;
}

/**
 * Resolves the `service`/`host` pair every intent accepts into an FQDN host.
 * FQDNs avoid Istio resolving short names in the rule's namespace (ISTIO-FACTS 8).
 * @internal
 */
export function resolveService(scope: IConstruct, service: kplus.Service | undefined, host: string | undefined, port?: number): ResolvedService {
  if (service && host) fail(scope, 'set either service or host, not both.');
  if (!service && !host) fail(scope, 'needs the service to act on: set service (a cdk8s-plus Service) or host (an FQDN such as \'reviews.shop.svc.cluster.local\').');
  if (service) {
    const namespace = service.metadata.namespace ?? 'default';
    const ports = service.ports.map(p => p.port);
    if (port !== undefined && ports.length > 0 && !ports.includes(port)) {
      fail(scope, `port ${port} is not a port of Service '${service.name}' (ports: ${ports.join(', ')}).`);
    }
    if (port === undefined && ports.length > 1) {
      fail(scope, `Service '${service.name}' has several ports (${ports.join(', ')}); set port so routes name one (IST0112).`);
    }
    return { host: `${service.name}.${namespace}.svc.cluster.local`, namespace, port };
  }
  checkHost(scope, 'host', host!, { allowWildcard: false });
  const parts = host!.split('.');
  return { host: host!, namespace: parts.length >= 2 && host!.endsWith('.svc.cluster.local') ? parts[1] : undefined, port };
}
