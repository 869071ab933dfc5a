import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { resolveService } from './service-target';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { checkDns1123Label, checkLabels } from '../core/names';
import { checkPercent } from '../core/percent';
import { StringMatch } from '../core/string-match';
import { DestinationRule } from '../resources/destination-rule';
import { GatewayReference } from '../resources/gateway-reference';
import { HttpMatch, HttpRetry, HttpRoute, HttpRouteDestination } from '../resources/routing';
import { TrafficPolicy } from '../resources/traffic-policy';
import { VirtualService } from '../resources/virtual-service';

/** One version of the service. Give `deployment` (labels are derived) or `labels`. */
export interface CanaryVersion {
  /** The version's Deployment; its pod labels define the subset. @default - use labels */
  readonly deployment?: kplus.Deployment;
  /** Pod labels that select this version, e.g. `{ version: 'v2' }`. @default - derived from deployment */
  readonly labels?: { [key: string]: string };
  /** Subset name. @default - the `version` label value, else 'stable' / 'canary' */
  readonly name?: string;
}

/** Where the release stands. */
export enum CanaryPhase {
  /** Traffic is split by the current weight; A/B matches go to the canary. */
  ROLLOUT = 'ROLLOUT',
  /** All traffic goes to the canary (promote before replacing stable). */
  PROMOTED = 'PROMOTED',
  /** All traffic goes to stable; A/B and mirror routes are removed. */
  ROLLED_BACK = 'ROLLED_BACK',
}

/** Props of a `CanaryRelease`. */
export interface CanaryReleaseProps {
  /** The Service both versions sit behind. @default - use host */
  readonly service?: kplus.Service;
  /** The service host (FQDN) when there is no cdk8s-plus Service. @default - derived from service */
  readonly host?: string;
  /** Service port routes target; required when the Service has several ports. @default - the only port */
  readonly port?: number;
  /** The version serving production traffic. */
  readonly stable: CanaryVersion;
  /** The new version. */
  readonly canary: CanaryVersion;
  /** Percentage of traffic sent to the canary (0–100), when no `steps` plan is used. @default 0 */
  readonly canaryWeight?: number;
  /** A staged plan of canary weights, e.g. `[5, 25, 50, 100]`; `currentStep` selects one per synth. @default - use canaryWeight */
  readonly steps?: number[];
  /** Index into `steps` of the weight in force. @default 0 */
  readonly currentStep?: number;
  /** Promote or roll back with a one-line change. @default ROLLOUT */
  readonly phase?: CanaryPhase;
  /** Requests matching all these headers always go to the canary (A/B testing), e.g. `{ 'end-user': StringMatch.exact('jason') }`. @default - none */
  readonly canaryHeaders?: { [name: string]: StringMatch };
  /**
   * Sticky canary: users routed to the canary get this cookie and keep going
   * to the canary (consistent hashing does not span weighted destinations, so
   * stickiness is done with a cookie route). @default - not sticky
   */
  readonly stickyCookie?: string;
  /** How long the sticky cookie lasts. @default Duration.hours(24) */
  readonly stickyDuration?: Duration;
  /** Mirror this percentage of stable traffic to the canary (responses discarded). @default - no mirroring */
  readonly mirrorPercentage?: number;
  /** Also apply the split to traffic from these gateways; `mesh` is always included. @default - mesh only */
  readonly gateways?: GatewayReference[];
  /** Extra hosts for gateway traffic, e.g. `['shop.example.com']`. @default - none */
  readonly gatewayHosts?: string[];
  /** Request timeout. @default - none */
  readonly timeout?: Duration;
  /** Retry policy. @default - Istio default */
  readonly retries?: HttpRetry;
  /** Traffic policy for the host (circuit breaking, TLS, load balancing). @default - none */
  readonly trafficPolicy?: TrafficPolicy;
}

/**
 * A stable and a canary version of one service: a DestinationRule with a subset
 * per version and a VirtualService with the weighted split (weights always add
 * to 100), optional A/B header routing, sticky cookie routing and mirroring.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 */
export class CanaryRelease extends Construct {
  /** The DestinationRule holding both subsets (rendered before the VirtualService). */
  public readonly destinationRule: DestinationRule;
  /** The VirtualService holding the split. */
  public readonly virtualService: VirtualService;
  /** The service FQDN. */
  public readonly host: string;
  /** Subset name of the stable version. */
  public readonly stableSubset: string;
  /** Subset name of the canary version. */
  public readonly canarySubset: string;
  /** The canary weight in force (0–100) after phase and steps are applied. */
  public readonly canaryWeight: number;
  private readonly _routes: HttpRoute[];
  private readonly port?: number;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    checkProps(this, 'CanaryRelease', props);
    reportChildErrorsAsOwn(this);
    const svc = resolveService(this, props.service, props.host, props.port);
    this.host = svc.host;
    this.port = svc.port;
    const stableLabels = this.versionLabels('stable', props.stable);
    const canaryLabels = this.versionLabels('canary', props.canary);
    const [stableSel, canarySel] = distinguishing(stableLabels, canaryLabels);
    if (Object.keys(stableSel).length === 0) {
      fail(this, `stable and canary pods have the same labels ${show(stableLabels)}, so no subset can tell them apart. Give each version a distinguishing label, e.g. version: 'v1' / version: 'v2'.`);
    }
    this.stableSubset = this.subsetName('stable', props.stable, stableSel);
    this.canarySubset = this.subsetName('canary', props.canary, canarySel);
    if (this.stableSubset === this.canarySubset) {
      fail(this, `stable and canary would both be subset ${show(this.stableSubset)}; set name on one of them.`);
    }

    this.canaryWeight = this.weightInForce(props);
    const phase = props.phase ?? CanaryPhase.ROLLOUT;
    checkPercent(this, 'mirrorPercentage', props.mirrorPercentage);

    // DestinationRules apply from the service's namespace (client → service → root lookup), so put it there.
    // Created before the VirtualService, so it is emitted first (subsets exist before routes use them). An
    // explicit dependency would say the same, but cdk8s re-walks every dependency once per chart at synth.
    this.destinationRule = new DestinationRule(this, 'DestinationRule', {
      metadata: { name: this.objectName(), namespace: svc.namespace },
      host: this.host,
      trafficPolicy: props.trafficPolicy,
      subsets: [
        { name: this.stableSubset, labels: stableSel },
        { name: this.canarySubset, labels: canarySel },
      ],
    });

    this._routes = this.buildRoutes(props, phase);
    const gateways = props.gateways?.length ? [GatewayReference.mesh(), ...props.gateways] : undefined;
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: { name: this.objectName(), namespace: svc.namespace },
      hosts: [this.host, ...(props.gatewayHosts ?? [])],
      gateways,
      http: this._routes,
    });
  }

  /**
   * The HTTP routes of this release (A/B, sticky, weighted), for reuse in
   * another VirtualService such as a `MeshIngress` route, so gateway traffic
   * is split the same way.
   */
  public httpRoutes(): HttpRoute[] {
    return this._routes.map(r => ({ ...r }));
  }

  private buildRoutes(props: CanaryReleaseProps, phase: CanaryPhase): HttpRoute[] {
    const dest = (subset: string) => ({ host: this.host, subset, port: this.port });
    const common = { timeout: props.timeout, retries: props.retries };
    if (phase !== CanaryPhase.ROLLOUT) {
      const subset = phase === CanaryPhase.PROMOTED ? this.canarySubset : this.stableSubset;
      return [{
        name: phase === CanaryPhase.PROMOTED ? 'promoted' : 'rolled-back',
        route: [
          { destination: dest(this.stableSubset), weight: subset === this.stableSubset ? 100 : 0 },
          { destination: dest(this.canarySubset), weight: subset === this.canarySubset ? 100 : 0 },
        ],
        ...common,
      }];
    }
    const routes: HttpRoute[] = [];
    if (props.canaryHeaders && Object.keys(props.canaryHeaders).length) {
      routes.push({ name: 'canary-match', match: [{ headers: props.canaryHeaders }], route: [{ destination: dest(this.canarySubset) }], ...common });
    }
    let canaryDestination: HttpRouteDestination = { destination: dest(this.canarySubset), weight: this.canaryWeight };
    if (props.stickyCookie !== undefined) {
      checkDns1123Label(this, 'stickyCookie', props.stickyCookie);
      const cookieMatch: HttpMatch = { headers: { cookie: StringMatch.regex(`^(.*?;\\s*)?(${props.stickyCookie}=true)(;.*)?$`) } };
      routes.push({ name: 'canary-sticky', match: [cookieMatch], route: [{ destination: dest(this.canarySubset) }], ...common });
      const seconds = (props.stickyDuration ?? Duration.hours(24)).toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < 1) {
        // Max-Age counts whole seconds: a fraction would be rounded, and 0 deletes the cookie at once.
        fail(this, `stickyDuration must be a whole number of seconds of at least 1, got ${seconds}s; a cookie's Max-Age counts whole seconds. Use Duration.seconds(n) with n >= 1.`);
      }
      const maxAge = seconds;
      canaryDestination = { ...canaryDestination, headers: { response: { add: { 'set-cookie': `${props.stickyCookie}=true; Max-Age=${maxAge}; Path=/` } } } };
    }
    routes.push({
      name: 'primary',
      route: [{ destination: dest(this.stableSubset), weight: 100 - this.canaryWeight }, canaryDestination],
      mirror: props.mirrorPercentage !== undefined ? dest(this.canarySubset) : undefined,
      mirrorPercentage: props.mirrorPercentage,
      ...common,
    });
    return routes;
  }

  private weightInForce(props: CanaryReleaseProps): number {
    const phase = props.phase ?? CanaryPhase.ROLLOUT;
    if (props.steps !== undefined && props.canaryWeight !== undefined) {
      fail(this, 'set either canaryWeight or steps (with currentStep), not both.');
    }
    if (props.steps !== undefined) {
      if (props.steps.length === 0) fail(this, 'steps must list at least one weight, e.g. [5, 25, 50, 100].');
      props.steps.forEach((w, i) => this.checkWeight(`steps[${i}]`, w));
      props.steps.forEach((w, i) => {
        if (i > 0 && w <= props.steps![i - 1]) fail(this, `steps must increase, but steps[${i}] = ${w} follows ${props.steps![i - 1]}.`);
      });
      const step = props.currentStep ?? 0;
      if (!Number.isInteger(step) || step < 0 || step >= props.steps.length) {
        fail(this, `currentStep must be between 0 and ${props.steps.length - 1} (an index into steps), got ${step}.`);
      }
      return phase === CanaryPhase.ROLLOUT ? props.steps[step] : phase === CanaryPhase.PROMOTED ? 100 : 0;
    }
    if (props.currentStep !== undefined) fail(this, 'currentStep needs steps; add steps: [5, 25, 50, 100] or remove currentStep.');
    const weight = props.canaryWeight ?? 0;
    this.checkWeight('canaryWeight', weight);
    return phase === CanaryPhase.ROLLOUT ? weight : phase === CanaryPhase.PROMOTED ? 100 : 0;
  }

  private checkWeight(prop: string, w: number): void {
    if (!Number.isInteger(w) || w < 0 || w > 100) fail(this, `${prop} must be a whole number between 0 and 100, got ${w}.`);
  }

  private versionLabels(which: string, v: CanaryVersion): { [key: string]: string } {
    if (v.deployment && v.labels) fail(this, `${which}: set deployment or labels, not both.`);
    if (!v.deployment && !v.labels) fail(this, `${which} needs a deployment (cdk8s-plus Deployment) or labels.`);
    // cdk8s-plus adds a per-deployment `cdk8s.io/metadata.addr` label; it is not a version label.
    const podLabels: { [key: string]: string } = v.deployment?.podMetadata.toJson().labels ?? v.labels ?? {};
    const labels = Object.fromEntries(Object.entries(podLabels).filter(([k]) => !k.startsWith('cdk8s.io/')));
    checkLabels(this, `${which}.labels`, labels);
    return labels;
  }

  private subsetName(which: string, v: CanaryVersion, labels: { [key: string]: string }): string {
    const name = v.name ?? labels.version ?? which;
    return checkDns1123Label(this, `${which}.name`, name);
  }

  private objectName(): string {
    return this.host.split('.')[0];
  }
}

/**
 * The labels that tell two versions apart: prefer Istio's conventional
 * `version` label, else every label whose value differs.
 */
function distinguishing(a: { [key: string]: string }, b: { [key: string]: string }): [{ [key: string]: string }, { [key: string]: string }] {
  if (a.version !== undefined && b.version !== undefined && a.version !== b.version) {
    return [{ version: a.version }, { version: b.version }];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(k => a[k] !== b[k] && a[k] !== undefined && b[k] !== undefined);
  return [Object.fromEntries(keys.map(k => [k, a[k]])), Object.fromEntries(keys.map(k => [k, b[k]]))];
}
