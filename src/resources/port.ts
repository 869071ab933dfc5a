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

