import { IConstruct } from 'constructs';
import type { Gateway } from './gateway';
import { checkArguments } from '../core/arguments';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';

/**
 * A gateway a VirtualService binds to: a `Gateway` construct, a gateway we do
 * not own (by name), or the special `mesh` gateway (all sidecars).
 */
export abstract class GatewayReference {
  /** All sidecars in the mesh (Istio's reserved `mesh`). */
  public static mesh(): GatewayReference {
    return new NamedGateway('mesh');
  }

  /** A Gateway construct of this app. */
  public static fromGateway(gateway: Gateway): GatewayReference {
    checkArguments(undefined, 'GatewayReference', 'fromGateway', arguments);
    return new ConstructGateway(gateway);
  }

  /** A Gateway not defined in this app, by name and namespace. */
  public static fromName(name: string, namespace?: string): GatewayReference {
    checkArguments(undefined, 'GatewayReference', 'fromName', arguments);
    return new NamedGateway(namespace ? `${namespace}/${name}` : name, name, namespace);
  }

  /** The reference as Istio writes it (`mesh`, `name` or `namespace/name`). @internal */
  public abstract _render(scope: IConstruct, prop: string): string;
}

class NamedGateway extends GatewayReference {
  constructor(private readonly ref: string, private readonly name?: string, private readonly ns?: string) { super(); }
  public _render(scope: IConstruct, prop: string): string {
    if (this.name !== undefined) checkDns1123Subdomain(scope, `${prop} name`, this.name);
    if (this.ns !== undefined) checkDns1123Label(scope, `${prop} namespace`, this.ns);
    return this.ref;
  }
}

class ConstructGateway extends GatewayReference {
  constructor(private readonly gateway: Gateway) { super(); }
  public _render(): string {
    const ns = this.gateway.namespace;
    return ns ? `${ns}/${this.gateway.name}` : this.gateway.name;
  }
}
