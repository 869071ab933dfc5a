import { Construct } from 'constructs';
import { IstioResource, IstioResourceProps } from './istio-resource';
import { fail } from '../core/errors';
import { checkPort } from '../core/percent';
import { WorkloadSelector } from '../core/workload-selector';

/** Mutual TLS modes for inbound traffic. */
export enum MtlsMode {
  /** Inherit from the parent scope. */
  UNSET = 'UNSET',
  /** Plain text only. */
  DISABLE = 'DISABLE',
  /** Accept plain text and mTLS. */
  PERMISSIVE = 'PERMISSIVE',
  /** mTLS only. */
  STRICT = 'STRICT',
}

/** Props of a `PeerAuthentication`. */
export interface PeerAuthenticationProps extends IstioResourceProps {
  /** Workloads this applies to. @default - the namespace (or mesh, in the root namespace) */
  readonly selector?: WorkloadSelector;
  /** mTLS mode. @default - UNSET (inherit) */
  readonly mtlsMode?: MtlsMode;
  /** Per-port modes (needs a selector), by container port. @default - none */
  readonly portLevelMtls?: { [port: string]: MtlsMode };
}

/**
 * An Istio PeerAuthentication (`security.istio.io/v1`): inbound mTLS mode.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends IstioResource {
  /** The mode set for the whole scope. */
  public readonly mtlsMode?: MtlsMode;
  private readonly _spec: any;

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id, { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' }, props);
    const ports = Object.entries(props.portLevelMtls ?? {});
    if (ports.length && !props.selector) {
      fail(this, 'portLevelMtls needs a selector: Istio ignores port-level mTLS on namespace- or mesh-wide policies. Add selector: WorkloadSelector.fromWorkload(...).');
    }
    const portLevel: { [port: string]: any } = {};
    for (const [port, mode] of ports) {
      checkPort(this, `portLevelMtls['${port}']`, Number(port));
      portLevel[port] = { mode };
    }
    this.mtlsMode = props.mtlsMode;
    this._spec = {
      selector: props.selector && { matchLabels: props.selector._render(this, 'selector') },
      mtls: props.mtlsMode && { mode: props.mtlsMode },
      portLevelMtls: ports.length ? portLevel : undefined,
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this._spec;
  }
}
