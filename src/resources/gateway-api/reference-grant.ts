import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { checkDns1123Label, checkDns1123Subdomain } from '../../core/names';
import { IstioResource, IstioResourceProps } from '../istio-resource';

/** Objects in another namespace allowed to refer here. */
export interface ReferenceGrantFrom {
  /** Their API group, e.g. 'gateway.networking.k8s.io'. */
  readonly group: string;
  /** Their kind, e.g. 'HTTPRoute'. */
  readonly kind: string;
  /** Their namespace. */
  readonly namespace: string;
}

/** Objects here they may refer to. */
export interface ReferenceGrantTo {
  /** Group ('' for core, e.g. Services and Secrets). */
  readonly group: string;
  /** Kind, e.g. 'Service'. */
  readonly kind: string;
  /** One object by name. @default - every object of the kind */
  readonly name?: string;
}

/** Props of a `ReferenceGrant`. */
export interface ReferenceGrantProps extends IstioResourceProps {
  /** Who may refer (the API's `from`; `from` is a Python keyword). */
  readonly referrers: ReferenceGrantFrom[];
  /** To what (the API's `to`). */
  readonly targets: ReferenceGrantTo[];
}

/**
 * A Gateway API `ReferenceGrant` (`gateway.networking.k8s.io/v1beta1`, the version Istio
 * watches): lets routes or Gateways in other namespaces refer to Services or Secrets in its own.
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 *
 * @example
 * declare const chart: Chart;
 *
 * new ReferenceGrant(chart, 'from-ingress', {
 *   metadata: { namespace: 'bookinfo' },
 *   referrers: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'istio-ingress' }],
 *   targets: [{ group: '', kind: 'Service' }],
 * });
 */
export class ReferenceGrant extends IstioResource {
  private readonly spec: any;

  constructor(scope: Construct, id: string, props: ReferenceGrantProps) {
    super(scope, id, { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant' }, props);
    if (props.referrers.length === 0 || props.targets.length === 0) fail(this, 'referrers and targets must each name at least one kind.');
    props.referrers.forEach((f, i) => checkDns1123Label(this, `referrers[${i}].namespace`, f.namespace));
    props.targets.forEach((t, i) => { if (t.name !== undefined) checkDns1123Subdomain(this, `targets[${i}].name`, t.name); });
    this.spec = {
      from: props.referrers.map(f => ({ group: f.group, kind: f.kind, namespace: f.namespace })),
      to: props.targets.map(t => ({ group: t.group, kind: t.kind, name: t.name })),
    };
  }

  /** @internal */
  protected _renderSpec(): any {
    return this.spec;
  }
}
