import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { podsInfo, requireWaypoint, servicePortsTo, servicesOfPods, userPath, waypointOf } from './traffic/ambient';
import { checkArguments, checkProps } from '../core/arguments';
import { DataPlane } from '../core/data-plane';
import { describe, fail, show } from '../core/errors';
import { kubeObjectOf, namespaceOf, serviceSelectorOf } from '../core/kube-objects';
import { WAYPOINT_LABEL, WAYPOINT_NAMESPACE_LABEL } from '../core/labels';
import { checkDns1123Label } from '../core/names';
import { addSynthCheck } from '../core/synth-checks';
import { GatewayApiGateway, ListenerProtocol, RouteNamespaces } from '../resources/gateway-api/gateway-api-gateway';
import { PolicyTargetReference } from '../resources/policy-target';
import { GeneratedTargeting } from '../resources/rendering/policy-target';

/** Which traffic a waypoint handles (`istio.io/waypoint-for`). */
export enum WaypointTrafficType {
  /** Traffic addressed to the Services that use it (Istio's default). */
  SERVICE = 'service',
  /** Traffic addressed to pods (their IPs) that use it. */
  WORKLOAD = 'workload',
  /** Both. */
  ALL = 'all',
}

/** Props of a `Waypoint`. */
export interface WaypointProps {
  /** Name of the Gateway (and of the ServiceAccount its pods run as). @default 'waypoint' */
  readonly name?: string;
  /** Which traffic it handles. @default WaypointTrafficType.SERVICE */
  readonly trafficType?: WaypointTrafficType;
  /**
   * Namespaces whose Services may use it (Istio checks the HBONE listener's allowedRoutes).
   * @default RouteNamespaces.SAME
   */
  readonly routeNamespaces?: RouteNamespaces;
  /** Labels of those namespaces (SELECTOR). @default - none */
  readonly namespaceLabels?: { [key: string]: string };
  /** The mesh's trust domain, for the waypoint's identity. @default 'cluster.local' */
  readonly trustDomain?: string;
}

/** Options of `Waypoint.serve()`. */
export interface WaypointServeOptions {
  /**
   * Also send ingress gateway traffic for the Service through the waypoint
   * (`istio.io/ingress-use-waypoint`), so policies attached to the Service apply to it too.
   * @default false
   */
  readonly ingressUsesWaypoint?: boolean;
  /**
   * Refuse, on ztunnel, traffic to the Service's pods (on every port) that does not come from
   * this waypoint, so a pod IP dialled directly cannot skip the policies attached to the Service
   * here (`<service>-require-waypoint`). A DENY, so no ALLOW elsewhere reopens the bypass;
   * callers outside the mesh (plain text) are refused too.
   * @default false
   */
  readonly requireWaypoint?: boolean;
}

/** How an intent's HTTP policy reaches pods through waypoints. @internal */
export interface WaypointAttachment {
  /** The pods' Services when the intent was added. */
  readonly services: ApiObject[];
  /** The Service ports that send to the intent's container ports (a waypoint sees the Service port). */
  readonly servicePorts?: number[];
  /** The identities of their waypoints (what ztunnel sees as the caller of what they forward). */
  readonly principals: string[];
  /** Its policies' targeting at synth: the pods' Services then. */
  readonly targeting: () => GeneratedTargeting;
}

/** A waypoint serving a Service: one of the app's, or one a label names. @internal */
export interface ServingWaypoint {
  readonly name: string;
  readonly namespace: string;
  readonly principal: string;
}

const REGISTRY = Symbol.for('cdk8s-istio.Waypoint.registry');

/**
 * An ambient waypoint: a Gateway of class `istio-waypoint` with the HBONE listener on 15008,
 * which Istio deploys as an Envoy that applies HTTP routing and policy for the Services (or
 * namespaces) that use it. ztunnel, ambient's per-node proxy, sees only L4.
 *
 * Intents that need HTTP in an ambient namespace (a canary, a JWT, an allow rule with methods)
 * attach to the namespace's waypoint, creating one named `waypoint` when the app has none there.
 * Create it yourself to name it, share it across namespaces, or serve a whole namespace.
 *
 * @see https://istio.io/latest/docs/ambient/usage/waypoint/
 *
 * @example
 * declare const chart: Chart;
 * declare const reviews: kplus.Service;
 *
 * const waypoint = new Waypoint(chart, 'waypoint');
 * waypoint.serve(reviews, { ingressUsesWaypoint: true });
 */
export class Waypoint extends Construct {
  /**
   * The waypoint a Service of this app uses: the Waypoint its `istio.io/use-waypoint` label (or
   * its namespace's) names, if this app has it.
   */
  public static of(service: IConstruct): Waypoint | undefined {
    checkArguments(undefined, 'Waypoint', 'of', arguments);
    const used = waypointOf(kubeObjectOf(service, ['Service'], 'Waypoint.of()'));
    return used && registry(service).find(w => w.name === used.name && w.namespace === used.namespace);
  }

  /**
   * The waypoint that carries HTTP for `service` (in an ambient namespace): the one it uses,
   * else the app's first Waypoint for Service traffic in its namespace, else a new `waypoint`
   * there. @internal
   */
  public static _serving(owner: IConstruct, service: ApiObject, options: WaypointServeOptions = {}): ServingWaypoint {
    const used = waypointOf(service);
    const ours = used && registry(owner).find(w => w.name === used.name && w.namespace === used.namespace);
    if (ours) {
      ours.serve(service, options);
      return ours;
    }
    if (used) {
      // A waypoint deployed outside this app, named by a label the user wrote; its identity as istioctl deploys it.
      if (options.ingressUsesWaypoint) setLabel(owner, service, 'istio.io/ingress-use-waypoint', 'true', `Service ${show(service.name)}`);
      return { ...used, principal: `cluster.local/ns/${used.namespace}/sa/${used.name}` };
    }
    const namespace = namespaceOf(service);
    let waypoint = registry(owner).find(w => w.namespace === namespace && w.trafficType !== WaypointTrafficType.WORKLOAD);
    if (!waypoint) {
      const chart = Chart.of(service);
      if ((chart.namespace ?? 'default') !== namespace) {
        fail(owner, `Service '${userPath(service)}' needs a waypoint in namespace ${show(namespace)}, and its chart renders into another; `
          + `create a Waypoint in a chart of namespace ${show(namespace)}.`);
      }
      waypoint = new Waypoint(chart, `Waypoint-${namespace}`, {});
    }
    waypoint.serve(service, options);
    return waypoint;
  }

  /**
   * Makes the Services of the pods `labels` selects in `namespace` use a waypoint, for HTTP
   * policy of `owner` in an ambient namespace (`what` names it in errors). A waypoint applies
   * policy per Service, so each of those Services must send to these pods only; ingress traffic
   * is sent through the waypoints too. With `guard`, the pods refuse, on ztunnel, every caller but
   * their waypoints (on `ports`, else every port).
   *
   * Its policies target, at synth, every such Service then; one added later without a waypoint
   * would carry traffic past them, and a Service port added later would not be in their rules:
   * both are synth errors. @internal
   */
  public static _attach(owner: IConstruct, namespace: string, labels: { [key: string]: string }, what: string,
    options: { guard?: { name: string }; ports?: number[] } = {}): WaypointAttachment {
    const info = podsInfo(owner, namespace, labels);
    if (!info.services.length) {
      fail(owner, `namespace ${show(namespace)} is ambient, where ${what} is applied by a waypoint, which serves Services; `
        + `no Service of this app in ${show(namespace)} selects the pods ${show(labels)}. Add their Service before this intent.`);
    }
    const wider = info.wider[0];
    if (wider) {
      fail(owner, `namespace ${show(namespace)} is ambient, where a waypoint applies ${what} per Service, and Service '${userPath(wider)}' also sends to pods `
        + `outside ${show(labels)}: they would get the rule too. Select all of its pods, or give these pods a Service of their own.`);
    }
    const ns = DataPlane._namespaceObject(owner, namespace);
    const nsWaypoint = ns && waypointOf(ns);
    const podBound = nsWaypoint && registry(owner).find(w => w.name === nsWaypoint.name && w.namespace === nsWaypoint.namespace
      && w.trafficType !== WaypointTrafficType.SERVICE);
    if (podBound) {
      fail(owner, `the pods of namespace ${show(namespace)} use ${describe(podBound)}, a waypoint for ${podBound.trafficType} traffic: calls to a pod's IP `
        + `pass it without the policies attached to Services, so ${what} could be skipped. Serve the namespace with a Waypoint for SERVICE traffic.`);
    }
    // Ingress gateways skip a waypoint unless told: the policies attached here must see their traffic too.
    const serving = info.services.map(s => Waypoint._serving(owner, s, { ingressUsesWaypoint: true }));
    const principals = [...new Set(serving.map(w => w.principal))].sort();
    if (options.guard) requireWaypoint(owner, 'RequireWaypoint', options.guard.name, namespace, labels, principals, options.ports);
    const servicePorts = options.ports && servicePortsTo(owner, 'ports', info.services, options.ports);
    const current = () => servicesOfPods(owner, namespace, labels);
    addSynthCheck(owner, () => {
      const later = podsInfo(owner, namespace, labels);
      const now = later.services;
      const errors = now.filter(s => !waypointOf(s)).map(s =>
        `${describe(owner)}: Service '${userPath(s)}' selects the pods ${show(labels)}, whose ${what} a waypoint applies, but it uses no waypoint `
        + '(it was added after the intent), so traffic through it would skip the policy. Create it before the intent.');
      errors.push(...later.wider.filter(s => !info.wider.includes(s)).map(s =>
        `${describe(owner)}: Service '${userPath(s)}' also sends to pods outside ${show(labels)} by the end of the program, and a waypoint applies ${what} `
        + 'per Service: they would get the rule too. Give these pods a Service of their own.'));
      const ports = options.ports && now.length ? servicePortsTo(owner, 'ports', now, options.ports) : undefined;
      if (servicePorts && ports && ports.join() !== servicePorts.join()) {
        errors.push(`${describe(owner)}: the Services of the pods ${show(labels)} send to ${show(options.ports)} from ports ${ports.join(', ')} by the end of the program, `
          + `but the rule was made for ${servicePorts.join(', ')} (a port was added after the intent). Complete the Services before the intent.`);
      }
      return errors;
    });
    const targeting = () => {
      const targets = current().filter(s => waypointOf(s));
      if (!targets.length) fail(owner, `no Service of this app selects the pods ${show(labels)} any more, so ${what} would apply to the whole namespace.`);
      if (targets.length > 16) fail(owner, `${targets.length} Services select the pods ${show(labels)}; a policy attaches to at most 16. Select fewer pods.`);
      return { targetRefs: targets.map(s => ({ kind: 'Service', group: '', name: s.name })) };
    };
    return { services: info.services, principals, servicePorts, targeting };
  }

  /** The waypoint's Gateway. */
  public readonly gateway: GatewayApiGateway;
  /** Its name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** Which traffic it handles. */
  public readonly trafficType: WaypointTrafficType;
  /** The identity of its pods (`trustDomain/ns/NS/sa/NAME`): what ztunnel sees as the caller of traffic it forwards. */
  public readonly principal: string;
  private readonly props: WaypointProps;

  constructor(scope: Construct, id: string, props: WaypointProps = {}) {
    super(scope, id);
    checkProps(this, 'Waypoint', props);
    this.props = props;
    this.name = checkDns1123Label(this, 'name', props.name ?? 'waypoint');
    this.namespace = Chart.of(this).namespace ?? 'default';
    this.trafficType = props.trafficType ?? WaypointTrafficType.SERVICE;
    const other = registry(this).find(w => w.name === this.name && w.namespace === this.namespace);
    if (other) fail(this, `namespace ${show(this.namespace)} already has a waypoint named ${show(this.name)}, ${describe(other)}; give this one another name.`);
    registry(this).push(this);
    this.principal = `${props.trustDomain ?? 'cluster.local'}/ns/${this.namespace}/sa/${this.name}`;
    this.gateway = new GatewayApiGateway(this, 'Gateway', {
      metadata: { name: this.name, labels: { 'istio.io/waypoint-for': this.trafficType } },
      gatewayClassName: 'istio-waypoint',
      listeners: [{
        name: 'mesh',
        port: 15008,
        protocol: ListenerProtocol.HBONE,
        routeNamespaces: props.routeNamespaces,
        namespaceLabels: props.namespaceLabels,
      }],
    });
    this.node.defaultChild = this.gateway;
  }

  /**
   * Makes `service` (a Service of this app) use this waypoint: `istio.io/use-waypoint` on it
   * (and `istio.io/use-waypoint-namespace` when it is in another namespace, which the waypoint's
   * `routeNamespaces` must admit). Returns the reference policies attach to it by.
   */
  public serve(service: IConstruct, options: WaypointServeOptions = {}): PolicyTargetReference {
    checkArguments(this, 'Waypoint', 'serve', arguments);
    const obj = kubeObjectOf(service, ['Service'], 'Waypoint.serve()');
    if (this.trafficType === WaypointTrafficType.WORKLOAD) {
      fail(this, `serves Service ${show(obj.name)}, but it is a waypoint for WORKLOAD traffic: Istio binds no Service to it. Use trafficType SERVICE or ALL.`);
    }
    this.use(obj, `Service ${show(obj.name)}`);
    if (options.ingressUsesWaypoint) setLabel(this, obj, 'istio.io/ingress-use-waypoint', 'true', `Service ${show(obj.name)}`);
    if (options.requireWaypoint && !this.node.tryFindChild(`RequireWaypoint-${namespaceOf(obj)}-${obj.name}`)) {
      requireWaypoint(this, `RequireWaypoint-${namespaceOf(obj)}-${obj.name}`, obj.name, namespaceOf(obj), serviceSelectorOf(obj), [this.principal]);
    }
    return { kind: 'Service', group: '', name: obj.name };
  }

  /** Makes every Service of a namespace (a Namespace object of this app) use this waypoint, unless one says otherwise. */
  public serveNamespace(namespace: IConstruct): void {
    checkArguments(this, 'Waypoint', 'serveNamespace', arguments);
    const obj = kubeObjectOf(namespace, ['Namespace'], 'Waypoint.serveNamespace()');
    this.use(obj, `namespace ${show(obj.name)}`);
  }

  private use(obj: ApiObject, what: string): void {
    const namespace = obj.kind === 'Namespace' ? obj.name : namespaceOf(obj);
    if (namespace !== this.namespace) {
      const from = this.props.routeNamespaces ?? RouteNamespaces.SAME;
      if (from === RouteNamespaces.SAME) {
        fail(this, `serves ${what} of namespace ${show(namespace)}, but its routeNamespaces is SAME, so Istio would refuse the binding. `
          + 'Set routeNamespaces: RouteNamespaces.ALL (or SELECTOR with namespaceLabels) on the Waypoint.');
      }
    }
    setLabel(this, obj, WAYPOINT_LABEL, this.name, what);
    if (namespace !== this.namespace) setLabel(this, obj, WAYPOINT_NAMESPACE_LABEL, this.namespace, what);
  }
}

/** Sets a label the waypoint needs; one the user (or another waypoint) set differently is a conflict. */
function setLabel(owner: IConstruct, obj: ApiObject, key: string, value: string, what: string): void {
  const current = obj.metadata.getLabel(key);
  if (current === value) return;
  if (current !== undefined) {
    fail(owner, `${what} already has label ${key}=${current}; it cannot also be ${value}. An object uses one waypoint: remove the other label or serve() call.`);
  }
  obj.metadata.addLabel(key, value);
}

function registry(scope: IConstruct): Waypoint[] {
  const root = scope.node.root as any;
  if (!root[REGISTRY]) Object.defineProperty(root, REGISTRY, { value: [] });
  return root[REGISTRY];
}
