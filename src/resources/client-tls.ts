/** Client-side TLS modes towards an upstream. */
export enum ClientTlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** TLS, server authenticated. */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with given client certificates. */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with Istio certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/**
 * TLS towards an upstream (originated by the sidecar or gateway).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export interface ClientTlsSettings {
  /** TLS mode. */
  readonly mode: ClientTlsMode;
  /** Client certificate file (MUTUAL). @default - none */
  readonly clientCertificate?: string;
  /** Client key file (MUTUAL). @default - none */
  readonly privateKey?: string;
  /** CA bundle file to verify the server. @default - none */
  readonly caCertificates?: string;
  /** Secret holding certs (gateways only). @default - none */
  readonly credentialName?: string;
  /** Accepted server SANs. @default - none */
  readonly subjectAltNames?: string[];
  /** SNI sent to the server. @default - none */
  readonly sni?: string;
  /** Skip server verification (insecure). @default false */
  readonly insecureSkipVerify?: boolean;
  /** CRL file. @default - none */
  readonly caCrl?: string;
}
