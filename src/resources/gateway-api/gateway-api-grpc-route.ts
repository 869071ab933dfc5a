import { Construct } from 'constructs';
import { BackendReference, ParentReference } from './references';
import { checkArguments } from '../../core/arguments';
import { fail, show } from '../../core/errors';
import { checkHost } from '../../core/names';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { renderBackendRef, renderParentRef } from '../rendering/gateway-api-references';

/** Conditions on a gRPC call. */
export interface GrpcRouteMatch {
  /** The gRPC service, e.g. 'helloworld.Greeter'. @default - any service */
  readonly service?: string;
  /** The method, e.g. 'SayHello' (needs service... or not: any service's method of that name). @default - any method */
  readonly method?: string;
  /** Exact request headers (metadata). @default - none */
  readonly headers?: { [name: string]: string };
}

/** One rule of a GRPCRoute. */
export interface GrpcRouteRule {
  /** Any of these matches selects the rule. @default - every call */
  readonly matches?: GrpcRouteMatch[];
  /** Backends, weighted. */
  readonly backendRefs: BackendReference[];
}

/** Props of a `GatewayApiGrpcRoute`. */
export interface GatewayApiGrpcRouteProps extends IstioResourceProps {
  /** Gateways or Services (GAMMA) it attaches to. */
  readonly parentRefs: ParentReference[];
  /** Hosts (Gateway parents only). @default - every host the listener serves */
  readonly hostnames?: string[];
  /** Rules (more with addRule()). @default - none */
  readonly rules?: GrpcRouteRule[];
}

/**
 * A Kubernetes Gateway API `GRPCRoute` (`gateway.networking.k8s.io/v1`): routing of gRPC
 * calls by service and method.
 * @see https://gateway-api.sigs.k8s.io/api-types/grpcroute/
 *
 * @example
 * declare const chart: Chart;
 *
 * new GatewayApiGrpcRoute(chart, 'greeter', {
 *   parentRefs: [{ kind: 'Service', name: 'greeter', port: 50051 }],
 *   rules: [{ matches: [{ service: 'helloworld.Greeter', method: 'SayHello' }], backendRefs: [{ name: 'greeter-v2', port: 50051 }] }],
 * });
 */
export class GatewayApiGrpcRoute extends IstioResource {
  private readonly spec: { parentRefs: any[]; hostnames?: string[]; rules: any[] };

  constructor(scope: Construct, id: string, props: GatewayApiGrpcRouteProps) {
    super(scope, id, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute' }, props, 'GatewayApiGrpcRoute');
    if (props.parentRefs.length === 0) fail(this, 'parentRefs is empty; a route attaches to a Gateway or a Service.');
    props.hostnames?.forEach((h, i) => checkHost(this, `hostnames[${i}]`, h));
    this.spec = { parentRefs: props.parentRefs.map((p, i) => renderParentRef(this, `parentRefs[${i}]`, p)), hostnames: props.hostnames, rules: [] };
    props.rules?.forEach(r => this.addRule(r));
  }

  /** Adds a rule after the others. */
  public addRule(rule: GrpcRouteRule): void {
    checkArguments(this, 'GatewayApiGrpcRoute', 'addRule', arguments);
    const prop = `rules[${this.spec.rules.length}]`;
    if (rule.backendRefs.length === 0) fail(this, `${prop}.backendRefs is empty, so every call it matches fails.`);
    rule.matches?.forEach((m, i) => {
      if (m.service !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(m.service)) {
        fail(this, `${prop}.matches[${i}].service ${show(m.service)} is not a gRPC service name such as 'helloworld.Greeter'.`);
      }
      if (m.method !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.method)) fail(this, `${prop}.matches[${i}].method ${show(m.method)} is not a gRPC method name.`);
    });
    this.spec.rules.push({
      matches: rule.matches?.map(m => ({
        method: m.service || m.method ? { type: 'Exact', service: m.service, method: m.method } : undefined,
        headers: m.headers && Object.entries(m.headers).map(([name, value]) => ({ type: 'Exact', name, value })),
      })),
      backendRefs: rule.backendRefs.map((b, i) => renderBackendRef(this, `${prop}.backendRefs[${i}]`, b)),
    });
  }

  /** @internal */
  protected _renderSpec(): any {
    return { ...this.spec, rules: this.spec.rules.length ? this.spec.rules : undefined };
  }
}
