import { IConstruct } from 'constructs';
import { fail, show } from '../core/errors';
import { checkPort } from '../core/percent';

/** Protocols of an Istio port. */
export enum PortProtocol {
  /** HTTP/1.1 (and HTTP/2 with prior knowledge on gateways). */
  HTTP = 'HTTP',
  /** HTTPS (TLS carrying HTTP). */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
  /** TLS with SNI, opaque payload. */
  TLS = 'TLS',
  /** Opaque TCP. */
  TCP = 'TCP',
  /** MongoDB. */
  MONGO = 'MONGO',
}

/**
 * A port in Istio's `Port` message.
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/#Port
 */
export interface IstioPort {
  /** Port number. */
  readonly number: number;
  /** Protocol. */
  readonly protocol: PortProtocol;
  /** Name. @default - `<protocol lowercase>-<number>` */
  readonly name?: string;
  /** Port on the endpoint, when different. @default - same as number */
  readonly targetPort?: number;
}

/** @internal */
export function renderIstioPort(scope: IConstruct, prop: string, p: IstioPort): any {
  checkPort(scope, `${prop}.number`, p.number);
  checkPort(scope, `${prop}.targetPort`, p.targetPort);
  if (!Object.values(PortProtocol).includes(p.protocol)) {
    fail(scope, `${prop}.protocol must be one of ${Object.values(PortProtocol).join(', ')}, got ${show(p.protocol)}.`);
  }
  return { number: p.number, protocol: p.protocol, name: p.name ?? `${p.protocol.toLowerCase()}-${p.number}`, targetPort: p.targetPort };
}

/** True for protocols Istio parses as HTTP (HTTP-only policy fields apply). @internal */
export function isHttpProtocol(protocol: string | undefined): boolean {
  return ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'GRPC-WEB'].includes((protocol ?? '').toUpperCase());
}
