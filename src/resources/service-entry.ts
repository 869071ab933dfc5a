import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { IstioPort, PortProtocol } from './port';
import { renderIstioPort } from './rendering/port';
import { renderWorkloadEntrySpec } from './rendering/workload-entry';
import { WorkloadEntrySpec } from './workload-entry-spec';
import { fail } from '../core/errors';
import { checkHost } from '../core/names';
import { WorkloadSelector } from '../core/workload-selector';

/** Whether the service is inside or outside the mesh. */
export enum ServiceEntryLocation {
  /** Outside the mesh (no mTLS, external APIs). */
  MESH_EXTERNAL = 'MESH_EXTERNAL',
  /** Part of the mesh (VMs with sidecars). */
  MESH_INTERNAL = 'MESH_INTERNAL',
}

/** How endpoints are resolved. */
export enum ServiceEntryResolution {
  /** Use the original destination IP. */
  NONE = 'NONE',
  /** Use the given endpoint addresses. */
  STATIC = 'STATIC',
  /** Resolve hosts asynchronously via DNS. */
  DNS = 'DNS',
  /** Resolve via DNS, connect to the first address (long-lived connections). */
  DNS_ROUND_ROBIN = 'DNS_ROUND_ROBIN',
}

/** Props of a `ServiceEntry`. */
export interface ServiceEntryProps extends IstioResourceProps {
  /** Hosts of the service. */
  readonly hosts: string[];
  /** Virtual IPs/CIDRs (needed for TCP ports without auto-allocation). @default - none */
  readonly addresses?: string[];
  /** Ports. */
  readonly ports: IstioPort[];
  /** Location. @default MESH_EXTERNAL */
  readonly location?: ServiceEntryLocation;
  /** Resolution. @default DNS */
  readonly resolution?: ServiceEntryResolution;
  /** Static endpoints. @default - none */
  readonly endpoints?: WorkloadEntrySpec[];
  /** Select WorkloadEntries/pods as endpoints (exclusive with endpoints). @default - none */
  readonly workloadSelector?: WorkloadSelector;
  /** Namespaces this is visible to. @default - all */
  readonly exportTo?: string[];
  /** Accepted server SANs. @default - none */
  readonly subjectAltNames?: string[];
}

/**
 * An Istio ServiceEntry (`networking.istio.io/v1`): adds a service to the mesh registry.
 * @see https://istio.io/latest/docs/reference/config/networking/service-entry/
 */
export class ServiceEntry extends IstioResource {
  /** Hosts of this entry (a copy). */
  public get hosts(): string[] { return [...this._spec.hosts]; }
  private readonly _spec: any;

  constructor(scope: Construct, id: string, props: ServiceEntryProps) {
    super(scope, id, { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry' }, props);
    if (props.hosts.length === 0) fail(this, 'hosts must name at least one host, e.g. [\'api.example.com\'].');
    props.hosts.forEach((h, i) => checkHost(this, `hosts[${i}]`, h));
    if (props.ports.length === 0) fail(this, 'ports must list at least one port, e.g. [{ number: 443, protocol: PortProtocol.TLS }].');
    const resolution = props.resolution ?? ServiceEntryResolution.DNS;
    if (props.endpoints?.length && props.workloadSelector) {
      fail(this, 'endpoints and workloadSelector are exclusive; use one.');
    }
    if (resolution === ServiceEntryResolution.STATIC && !props.endpoints?.length && !props.workloadSelector) {
      fail(this, 'resolution STATIC needs endpoints or a workloadSelector.');
    }
    if (resolution === ServiceEntryResolution.DNS && props.hosts.some(h => h.startsWith('*'))) {
      fail(this, 'resolution DNS cannot resolve wildcard hosts; use resolution NONE (with addresses) or name the hosts.');
    }
    if (resolution === ServiceEntryResolution.NONE && props.workloadSelector) {
      fail(this, 'resolution NONE with a workloadSelector is ignored by Istio; use STATIC.');
    }
    const tcpLike = props.ports.some(p => p.protocol === PortProtocol.TCP);
    if (tcpLike && !props.addresses?.length && resolution === ServiceEntryResolution.NONE) {
      fail(this, 'a TCP port with resolution NONE needs addresses (IST0134); add the destination IPs/CIDRs.');
    }
    this._spec = {
      hosts: [...props.hosts],
      addresses: props.addresses,
      ports: props.ports.map((p, i) => renderIstioPort(this, `ports[${i}]`, p)),
      location: props.location ?? ServiceEntryLocation.MESH_EXTERNAL,
      resolution,
      endpoints: props.endpoints?.map((e, i) => renderWorkloadEntrySpec(this, `endpoints[${i}]`, e)),
      workloadSelector: props.workloadSelector && { labels: props.workloadSelector._render(this, 'workloadSelector') },
      exportTo: props.exportTo,
      subjectAltNames: props.subjectAltNames,
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this._spec;
  }
}
