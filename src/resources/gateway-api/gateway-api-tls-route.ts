import { Construct } from 'constructs';
import { BackendReference, ParentReference } from './references';
import { fail } from '../../core/errors';
import { checkHost } from '../../core/names';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { renderBackendRef, renderParentRef } from '../rendering/gateway-api-references';

/** Props of a `GatewayApiTlsRoute`. */
export interface GatewayApiTlsRouteProps extends IstioResourceProps {
  /** Gateways (a TLS listener in Passthrough mode) it attaches to. */
  readonly parentRefs: ParentReference[];
  /** SNI names routed. */
  readonly hostnames: string[];
  /** Backends, weighted: the TLS stream goes to them untouched. */
  readonly backendRefs: BackendReference[];
}

/**
 * A Kubernetes Gateway API `TLSRoute` (`gateway.networking.k8s.io/v1`): TLS passed through
 * a Gateway, routed by SNI.
 * @see https://gateway-api.sigs.k8s.io/api-types/tlsroute/
 *
 * @example
 * declare const chart: Chart;
 *
 * new GatewayApiTlsRoute(chart, 'db', {
 *   parentRefs: [{ name: 'edge', sectionName: 'tls-passthrough' }],
 *   hostnames: ['db.example.com'],
 *   backendRefs: [{ name: 'db', port: 5432 }],
 * });
 */
export class GatewayApiTlsRoute extends IstioResource {
  private readonly spec: any;

  constructor(scope: Construct, id: string, props: GatewayApiTlsRouteProps) {
    super(scope, id, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TLSRoute' }, props, 'GatewayApiTlsRoute');
    if (props.parentRefs.length === 0) fail(this, 'parentRefs is empty; a TLSRoute attaches to a Gateway\'s TLS listener.');
    if (props.hostnames.length === 0) fail(this, 'hostnames is empty; a TLSRoute routes by SNI, so name the hosts.');
    if (props.backendRefs.length === 0) fail(this, 'backendRefs is empty, so every connection it matches is closed.');
    props.hostnames.forEach((h, i) => checkHost(this, `hostnames[${i}]`, h));
    this.spec = {
      parentRefs: props.parentRefs.map((p, i) => renderParentRef(this, `parentRefs[${i}]`, p)),
      hostnames: [...props.hostnames],
      rules: [{ backendRefs: props.backendRefs.map((b, i) => renderBackendRef(this, `backendRefs[${i}]`, b)) }],
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this.spec;
  }
}
