import { Construct } from 'constructs';
import { HeaderMatchType, HttpHeaderMatch, HttpRouteFilter } from './gateway-api-http-route';
import { BackendReference, ParentReference } from './references';
import { checkArguments } from '../../core/arguments';
import { fail, show } from '../../core/errors';
import { checkHeaderName, checkHost } from '../../core/names';
import { checkRe2 } from '../../core/re2';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { checkRequestMirror, renderBackendRef, renderParentRef } from '../rendering/gateway-api-references';

/** The filters a GRPCRoute has (Gateway API's GRPCRouteFilter types). */
const GRPC_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror'];

/** Conditions on a gRPC call. */
export interface GrpcRouteMatch {
  /** The gRPC service, e.g. 'helloworld.Greeter'. @default - any service */
  readonly service?: string;
  /** The method, e.g. 'SayHello' (needs service... or not: any service's method of that name). @default - any method */
  readonly method?: string;
  /** Request headers (metadata), exact or RE2. @default - none */
  readonly headers?: HttpHeaderMatch[];
}

/** One rule of a GRPCRoute. */
export interface GrpcRouteRule {
  /** The rule's name (in Envoy's route names and stats). @default - none */
  readonly name?: string;
  /** Any of these matches selects the rule. @default - every call */
  readonly matches?: GrpcRouteMatch[];
  /** Filters: header modifiers and `HttpRouteFilter.requestMirror` (GRPCRoute has no rewrite or redirect). @default - none */
  readonly filters?: HttpRouteFilter[];
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
  /** A rule as the API writes it, checked (intents' generated rules). @internal */
  public static _renderRule(scope: Construct, prop: string, rule: GrpcRouteRule): any {
    return renderGrpcRouteRule(scope, prop, rule);
  }

  private readonly spec: { parentRefs: any[]; hostnames?: string[]; rules: any[] };
  private generated?: () => any[];

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
    this.spec.rules.push(renderGrpcRouteRule(this, `rules[${this.spec.rules.length}]`, rule));
  }

  /** Rules produced at synth (rendered with `_renderRule`), after those added. @internal */
  public _generateRules(produce: () => any[]): void {
    this.generated = produce;
  }

  /** @internal */
  protected _renderSpec(): any {
    const rules = [...this.spec.rules, ...this.generated?.() ?? []];
    return { ...this.spec, rules: rules.length ? rules : undefined };
  }
}

function renderGrpcRouteRule(scope: Construct, prop: string, rule: GrpcRouteRule): any {
  if (rule.backendRefs.length === 0) fail(scope, `${prop}.backendRefs is empty, so every call it matches fails.`);
  rule.matches?.forEach((m, i) => {
    if (m.service !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(m.service)) {
      fail(scope, `${prop}.matches[${i}].service ${show(m.service)} is not a gRPC service name such as 'helloworld.Greeter'.`);
    }
    if (m.method !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m.method)) fail(scope, `${prop}.matches[${i}].method ${show(m.method)} is not a gRPC method name.`);
    m.headers?.forEach((h, j) => {
      checkHeaderName(scope, `${prop}.matches[${i}].headers[${j}].name`, h.name);
      if (h.type === HeaderMatchType.REGULAR_EXPRESSION) checkRe2(scope, `${prop}.matches[${i}].headers[${j}].value`, h.value);
    });
  });
  rule.filters?.forEach((f, i) => {
    const where = `${prop}.filters[${i}]`;
    if (!(f instanceof HttpRouteFilter)) fail(scope, `${where} must be an HttpRouteFilter (HttpRouteFilter.requestMirror(...), ...), got ${show(f)}.`);
    if (!GRPC_FILTERS.includes(f._spec.type)) fail(scope, `${where} is a ${f._spec.type} filter, which a GRPCRoute does not have (it has ${GRPC_FILTERS.join(', ')}).`);
    if (f._spec.type === 'RequestMirror') checkRequestMirror(scope, where, f._spec.requestMirror);
  });
  return {
    name: rule.name,
    matches: rule.matches?.map(m => ({
      method: m.service || m.method ? { type: 'Exact', service: m.service, method: m.method } : undefined,
      headers: m.headers?.map(h => ({ type: h.type ?? HeaderMatchType.EXACT, name: h.name, value: h.value })),
    })),
    filters: rule.filters?.map(f => f._spec),
    backendRefs: rule.backendRefs.map((b, i) => renderBackendRef(scope, `${prop}.backendRefs[${i}]`, b)),
  };
}
