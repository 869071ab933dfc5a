import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Waypoint, WaypointAttachment } from './waypoint';
import { checkArguments, checkProps } from '../core/arguments';
import { DataPlane, DataPlaneMode } from '../core/data-plane';
import { describe, fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { Expectation, promise, samplePolicyPath } from '../core/expectations';
import { kubeObjectOf, namespaceOf } from '../core/kube-objects';
import { selects } from '../core/labels';
import { checkDns1123Label, checkDns1123Subdomain, isDns1123Label, isDns1123Subdomain, nameFromId } from '../core/names';
import { addSynthCheck } from '../core/synth-checks';
import { WorkloadSelector } from '../core/workload-selector';
import { AuthorizationPolicy } from '../resources/authorization-policy';
import { IGatewayWorkload } from '../resources/gateway-workload-reference';
import { MtlsMode, PeerAuthentication } from '../resources/peer-authentication';
import { podsInfo, servicesOfPods, userPath, waypointOf } from './traffic/ambient';

/**
 * A mesh identity (SPIFFE principal) of a service account.
 *
 * @example
 * declare const reviewsAccount: kplus.ServiceAccount;
 * const byName = MeshPrincipal.serviceAccount('bookinfo-reviews', 'bookinfo');
 * const fromAccount = MeshPrincipal.fromServiceAccount(reviewsAccount);
 */
export class MeshPrincipal {
  /** The identity of a ServiceAccount of this app (cdk8s-plus of any version, or an imported/plain ApiObject). */
  public static fromServiceAccount(serviceAccount: IConstruct, trustDomain = 'cluster.local'): MeshPrincipal {
    checkArguments(undefined, 'MeshPrincipal', 'fromServiceAccount', arguments);
    const account = kubeObjectOf(serviceAccount, ['ServiceAccount'], 'MeshPrincipal.fromServiceAccount()');
    return new MeshPrincipal(`${trustDomain}/ns/${namespaceOf(account)}/sa/${account.name}`);
  }

  /**
   * The identity of a gateway's pods, e.g. to allow an `IngressGateway` to call a
   * workload (namespaces of callers are coarser: any pod there would be allowed).
   */
  public static fromGateway(gateway: IGatewayWorkload, trustDomain = 'cluster.local'): MeshPrincipal {
    checkArguments(undefined, 'MeshPrincipal', 'fromGateway', arguments);
    if (!gateway.serviceAccountName) {
      throw new Error(`MeshPrincipal.fromGateway(): the service account of gateway ${show(gateway.name)} is not known (pods outside this app); `
        + 'name it with MeshPrincipal.serviceAccount(name, namespace).');
    }
    const namespace = gateway.namespace ?? (Construct.isConstruct(gateway) ? Chart.of(gateway).namespace : undefined) ?? 'default';
    return MeshPrincipal.serviceAccount(gateway.serviceAccountName, namespace, trustDomain);
  }

  /** The identity of a service account by name. */
  public static serviceAccount(name: string, namespace: string, trustDomain = 'cluster.local'): MeshPrincipal {
    checkArguments(undefined, 'MeshPrincipal', 'serviceAccount', arguments);
    const problem = !isDns1123Subdomain(name) ? `name ${show(name)} is not a ServiceAccount name (DNS-1123 subdomain)`
      : !isDns1123Label(namespace) ? `namespace ${show(namespace)} is not a namespace name (DNS-1123 label)`
        : trustDomain === '' || /[\s/]/.test(trustDomain) ? `trustDomain ${show(trustDomain)} is not a trust domain` : undefined;
    if (problem) throw new Error(`MeshPrincipal.serviceAccount(): ${problem}; the principal would match no workload.`);
    return new MeshPrincipal(`${trustDomain}/ns/${namespace}/sa/${name}`);
  }

  private constructor(
    /** The principal string, `trustDomain/ns/NS/sa/NAME`. */
    public readonly principal: string) {}
}

/** Ports of one workload that accept plain text (probes, non-mesh load balancers). */
export interface PermissivePorts {
  /** The workload. */
  readonly selector: WorkloadSelector;
  /** Container ports that stay PERMISSIVE. */
  readonly ports: number[];
}

/** An explicit allow rule. */
export interface ZeroTrustAllowOptions {
  /** The workload receiving the calls. */
  readonly to: WorkloadSelector;
  /** Callers by identity. @default - none */
  readonly fromPrincipals?: MeshPrincipal[];
  /** Callers by namespace. @default - none */
  readonly fromNamespaces?: string[];
  /** Ports allowed. @default - all */
  readonly ports?: number[];
  /** HTTP methods allowed. @default - all */
  readonly methods?: string[];
  /** Paths allowed. @default - all */
  readonly paths?: string[];
  /** Policy name. @default - derived from the id given to allow() */
  readonly name?: string;
}

/** Props of a `ZeroTrustNamespace`. */
export interface ZeroTrustNamespaceProps {}

/**
 * A zero-trust baseline for the chart's namespace: STRICT mTLS, an
 * allow-nothing AuthorizationPolicy, and explicit allow rules from identities
 * to workloads.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
 *
 * @example
 * declare const chart: Chart;
 * declare const ratings: kplus.Deployment;
 *
 * const zeroTrust = new ZeroTrustNamespace(chart, 'zero-trust');
 * zeroTrust.allow('ratings-from-reviews', {
 *   to: WorkloadSelector.fromWorkload(ratings),
 *   fromPrincipals: [MeshPrincipal.serviceAccount('bookinfo-reviews', 'bookinfo')],
 *   methods: ['GET'],
 * });
 */
export class ZeroTrustNamespace extends Construct {
  /** Namespace-wide STRICT mTLS. */
  public readonly peerAuthentication: PeerAuthentication;
  /** Namespace-wide allow-nothing. */
  public readonly denyAll: AuthorizationPolicy;
  private readonly allows: Array<{ policy: AuthorizationPolicy; options: ZeroTrustAllowOptions }> = [];
  private readonly plaintext: PermissivePorts[] = [];
  private readonly namespace: string;
  private readonly ambient: boolean;

  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps = {}) {
    super(scope, id);
    checkProps(this, 'ZeroTrustNamespace', props);
    reportChildErrorsAsOwn(this);
    this.peerAuthentication = new PeerAuthentication(this, 'StrictMtls', { metadata: { name: 'default' }, mtlsMode: MtlsMode.STRICT });
    this.denyAll = new AuthorizationPolicy(this, 'AllowNothing', { metadata: { name: 'allow-nothing' } });
    this.node.defaultChild = this.denyAll;
    this.namespace = Chart.of(this).namespace ?? 'default';
    this.ambient = DataPlane._renderFor(this, this.namespace) === DataPlaneMode.AMBIENT;
    promise(this, () => this.promises());
  }

  /**
   * Keeps some ports of one workload PERMISSIVE (plain text accepted: probes,
   * load balancers outside the mesh). The PeerAuthentication is named after `id`.
   */
  public permitPlaintext(id: string, options: PermissivePorts): PeerAuthentication {
    checkArguments(this, 'ZeroTrustNamespace', 'permitPlaintext', arguments);
    if (options.ports.length === 0) fail(this, `permitPlaintext(${show(id)}): ports must list at least one port.`);
    const portLevelMtls: { [port: string]: MtlsMode } = {};
    options.ports.forEach(port => { portLevelMtls[String(port)] = MtlsMode.PERMISSIVE; });
    this.plaintext.push(options);
    return new PeerAuthentication(this, `Plaintext-${id}`, {
      metadata: { name: this.objectName('permitPlaintext', id) },
      selector: options.selector,
      mtlsMode: MtlsMode.STRICT,
      portLevelMtls,
    });
  }

  /**
   * Allows calls from identities/namespaces to a workload; returns the policy.
   * `id` keys the rule (e.g. `'frontend-to-api'`) and names its object, so adding
   * or removing another rule never renames this one.
   */
  public allow(id: string, options: ZeroTrustAllowOptions): AuthorizationPolicy {
    checkArguments(this, 'ZeroTrustNamespace', 'allow', arguments);
    if (!options.fromPrincipals?.length && !options.fromNamespaces?.length) {
      fail(this, `allow(${show(id)}) needs fromPrincipals or fromNamespaces: an allow rule without a source would admit every caller.`);
    }
    options.fromNamespaces?.forEach((ns, i) => checkDns1123Label(this, `allow(${show(id)}).fromNamespaces[${i}]`, ns));
    const hasOperation = options.ports?.length || options.methods?.length || options.paths?.length;
    const name = this.objectName('allow', id);
    const atWaypoint = this.ambient ? this.waypointOf(id, options) : undefined;
    const policy = new AuthorizationPolicy(this, `Allow-${id}`, {
      metadata: { name: options.name ?? name },
      selector: atWaypoint ? undefined : options.to,
      rules: [{
        sources: [{ principals: options.fromPrincipals?.map(p => p.principal), namespaces: options.fromNamespaces }],
        operations: hasOperation ? [{
          ports: atWaypoint ? atWaypoint.servicePorts : options.ports,
          methods: options.methods,
          paths: options.paths,
        }] : undefined,
      }],
    });
    if (atWaypoint) {
      policy._generateTargeting(atWaypoint.targeting);
      // ztunnel sees the waypoint as the caller of what it forwards: admit it to the pods (the
      // waypoint applies the rule), and nobody else by this rule.
      new AuthorizationPolicy(this, `AllowWaypoint-${id}`, {
        metadata: { name: `${options.name ?? name}-via-waypoint`.slice(0, 253) },
        selector: options.to,
        rules: [{ sources: [{ principals: atWaypoint.principals }], operations: options.ports ? [{ ports: options.ports }] : undefined }],
      });
    }
    this.allows.push({ policy, options });
    return policy;
  }

  /**
   * Ambient: where an allow rule is enforced. A rule with methods or paths needs a waypoint; so does
   * any rule for pods whose Services already use one (ztunnel would see the waypoint, not the
   * caller). Otherwise ztunnel enforces it by selector, and must still do so at synth.
   */
  private waypointOf(id: string, options: ZeroTrustAllowOptions): WaypointAttachment | undefined {
    const labels = options.to.labels;
    const http = options.methods?.length || options.paths?.length;
    const pods = podsInfo(this, this.namespace, labels);
    if (pods.runEnvoy) return undefined; // gateway or sidecar pods apply selector policies themselves
    if (http || pods.services.some(s => waypointOf(s))) {
      return Waypoint._attach(this, this.namespace, labels, `allow rule ${show(id)}`, { ports: options.ports });
    }
    addSynthCheck(this, () => {
      const late = servicesOfPods(this, this.namespace, labels).find(s => waypointOf(s));
      return late ? [`${describe(this)}: allow(${show(id)}) is enforced by ztunnel, but Service '${userPath(late)}' of its pods uses a waypoint `
        + '(set after the rule was added), so ztunnel would see the waypoint as the caller and refuse the callers the rule allows. Add intents that use waypoints before the allow rules.'] : [];
    });
    return undefined;
  }

  /**
   * Per allow rule, sent to the workload's own port: a listed caller (its first
   * principal or namespace) with a listed method, path and port is allowed by
   * the rule, another method is not, a stranger is refused (403), and plain
   * text is refused unless permitPlaintext() lets it in on that port.
   */
  private promises(): Expectation[] {
    const namespace = Chart.of(this).namespace ?? 'default';
    const out: Expectation[] = [];
    for (const { policy, options } of this.allows) {
      const to = { namespace, labels: options.to.labels };
      // The harness calls the first container port when none is named: the same one here.
      const port = options.ports?.[0] ?? options.to._ports?.[0];
      const path = options.paths?.length ? samplePolicyPath(options.paths[0]) : undefined;
      const request = { to, host: 'semantics.test', port, method: options.methods?.[0], path };
      const principal = options.fromPrincipals?.[0]?.principal.match(/^cluster\.local\/ns\/([^/]+)\/sa\/(.+)$/);
      const from = principal ? { namespace: principal[1], serviceAccount: principal[2] }
        : options.fromNamespaces?.length ? { namespace: options.fromNamespaces[0] } : undefined;
      const pods = labelText(to.labels);
      const caller = from && ('serviceAccount' in from ? `service account ${from.namespace}/${from.serviceAccount}` : `namespace ${from.namespace}`);
      if (from) {
        out.push({
          promise: `${caller} is allowed by ${policy.name} to call ${pods} (other policies may still refuse it)`,
          request: { ...request, from },
          expect: { delivered: true, connection: 'mtls', policies: { [policy.name]: 'allows' } },
        });
        const other = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].find(m => options.methods?.length && !options.methods.includes(m));
        if (other) {
          out.push({ promise: `${caller} is not allowed by ${policy.name} to ${other} ${pods}`, request: { ...request, from, method: other }, expect: { policies: { [policy.name]: 'no match' } } });
        }
      }
      const stranger = { namespace: 'semantics-stranger', serviceAccount: 'nobody' };
      out.push({ promise: `a caller no rule names is refused by ${pods}`, request: { ...request, from: stranger }, expect: { status: 403 } });
      const open = this.plaintext.some(p => selects(p.selector.labels, options.to.labels) && (port === undefined || p.ports.includes(port)));
      if (!open) {
        out.push({ promise: `plain text to ${pods} is refused (STRICT mTLS)`, request: { ...request, from: { namespace, outsideMesh: true } }, expect: { connection: 'refused' } });
      }
    }
    for (const p of this.plaintext) {
      out.push({
        promise: `plain text to port ${p.ports[0]} of ${labelText(p.selector.labels)} passes the mTLS check`,
        request: { from: { namespace, outsideMesh: true }, to: { namespace, labels: p.selector.labels }, host: 'semantics.test', port: p.ports[0] },
        expect: { connection: 'plaintext' },
      });
    }
    return out;
  }

  private objectName(method: string, id: string): string {
    if (this.node.tryFindChild(`Allow-${id}`) || this.node.tryFindChild(`Plaintext-${id}`)) {
      fail(this, `${method}(${show(id)}): the id is already used by another rule; ids key the rules and name their objects.`);
    }
    const name = nameFromId(id);
    checkDns1123Subdomain(this, `${method}(${show(id)}) name (derived from the id)`, name);
    return name;
  }
}

function labelText(labels: { [key: string]: string }): string {
  return `pods ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}`;
}
