import { Construct } from 'constructs';
import { fail, show } from '../../core/errors';
import { checkDns1123Label, checkDns1123Subdomain, checkHost } from '../../core/names';
import { IstioResource, IstioResourceProps } from '../istio-resource';

/** Props of a `BackendTlsPolicy`. */
export interface BackendTlsPolicyProps extends IstioResourceProps {
  /** The Services (in the policy's namespace) whose connections use TLS. */
  readonly services: string[];
  /** A port name of the Services (only that port). @default - every port */
  readonly sectionName?: string;
  /** The name the backend's certificate must carry (and the SNI sent). */
  readonly hostname: string;
  /** ConfigMaps (key `ca.crt`) holding the CAs that sign the backend's certificate. @default - none: then useSystemCertificates */
  readonly caCertificateConfigMaps?: string[];
  /** Trust the system's CA certificates instead. @default false */
  readonly useSystemCertificates?: boolean;
}

/**
 * A Kubernetes Gateway API `BackendTLSPolicy` (`gateway.networking.k8s.io/v1`): gateways and
 * proxies open TLS to the targeted Services, checking their certificate.
 * @see https://gateway-api.sigs.k8s.io/api-types/backendtlspolicy/
 *
 * @example
 * declare const chart: Chart;
 *
 * new BackendTlsPolicy(chart, 'payments-tls', { services: ['payments'], hostname: 'payments.example.com', useSystemCertificates: true });
 */
export class BackendTlsPolicy extends IstioResource {
  private readonly spec: any;

  constructor(scope: Construct, id: string, props: BackendTlsPolicyProps) {
    super(scope, id, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy' }, props, 'BackendTlsPolicy');
    if (props.services.length === 0) fail(this, 'services is empty; name the Services to reach over TLS.');
    props.services.forEach((s, i) => checkDns1123Label(this, `services[${i}]`, s));
    if (props.sectionName !== undefined) checkDns1123Subdomain(this, 'sectionName', props.sectionName);
    checkHost(this, 'hostname', props.hostname, { allowWildcard: false });
    const cas = props.caCertificateConfigMaps ?? [];
    cas.forEach((c, i) => checkDns1123Subdomain(this, `caCertificateConfigMaps[${i}]`, c));
    if ((cas.length > 0) === !!props.useSystemCertificates) {
      fail(this, `set exactly one of caCertificateConfigMaps and useSystemCertificates (got ${show(cas.length)} ConfigMaps, useSystemCertificates ${show(!!props.useSystemCertificates)}): the backend's certificate must be checked against something.`);
    }
    this.spec = {
      targetRefs: props.services.map(name => ({ group: '', kind: 'Service', name, sectionName: props.sectionName })),
      validation: {
        hostname: props.hostname,
        caCertificateRefs: cas.length ? cas.map(name => ({ group: '', kind: 'ConfigMap', name })) : undefined,
        wellKnownCACertificates: props.useSystemCertificates ? 'System' : undefined,
      },
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this.spec;
  }
}
