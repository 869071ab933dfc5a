import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryVersion } from './canary-version';
import { MeshService } from './mesh-service';
import { ServiceReference } from './service-reference';
import { checkProps } from '../core/arguments';
import { describe, fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { durationText, Expectation, headersText, promise, retriesOutcome, sampleHeaders } from '../core/expectations';
import { serviceSelectorOf } from '../core/kube-objects';
import { checkDns1123Label } from '../core/names';
import { checkPercent } from '../core/percent';
import { StringMatch } from '../core/string-match';
import { addSynthCheck } from '../core/synth-checks';
import { DestinationRule } from '../resources/destination-rule';
import { GatewayApiGrpcRoute } from '../resources/gateway-api/gateway-api-grpc-route';
import { GatewayApiHttpRoute } from '../resources/gateway-api/gateway-api-http-route';
import { HttpMatch, HttpRetry, HttpRoute, HttpRouteDestination } from '../resources/http-route';
import { renderHttpRoute } from '../resources/rendering/routes';
import { renderTrafficPolicy } from '../resources/rendering/traffic-policy';
import { TrafficPolicy } from '../resources/traffic-policy';
import { VirtualService } from '../resources/virtual-service';

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
  /** The service both versions sit behind. */
  readonly service: ServiceReference;
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
  /** Request timeout for the host (or use a `ServiceResilience`, not both). @default - none */
  readonly timeout?: Duration;
  /** Retry policy for the host (or use a `ServiceResilience`, not both). @default - Istio default */
  readonly retries?: HttpRetry;
  /** Traffic policy for the host (TLS, load balancing; circuit breaking also via `ServiceResilience`). @default - none */
  readonly trafficPolicy?: TrafficPolicy;
}

/**
 * A stable and a canary version of one service: a subset per version and the
 * weighted split (weights always add to 100), optional A/B header routing,
 * sticky cookie routing and mirroring. It contributes to the host's
 * `MeshService`, so it composes with `ServiceResilience`, `FaultInjection` and
 * `MeshIngress` routes to the same service (gateway traffic is split the same way).
 *
 * The Service must select the pods of both versions: a Service that selects one
 * version's pods only (e.g. from `exposeViaService()`) fails synth.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/
 *
 * @example
 * declare const chart: Chart;
 * declare const reviews: kplus.Service;       // selects every version's pods ({ app: 'reviews' })
 * declare const v1: kplus.Deployment;
 * declare const v2: kplus.Deployment;
 *
 * new CanaryRelease(chart, 'reviews-canary', {
 *   service: ServiceReference.fromService(reviews),
 *   stable: CanaryVersion.fromWorkload(v1),
 *   canary: CanaryVersion.fromWorkload(v2),
 *   canaryWeight: 10,
 *   canaryHeaders: { 'end-user': StringMatch.exact('jason') },
 * });
 */
export class CanaryRelease extends Construct {
  /** The host's traffic model this release contributes to. */
  public readonly meshService: MeshService;
  /** The service FQDN. */
  public readonly host: string;
  /** Subset name of the stable version. */
  public readonly stableSubset: string;
  /** Subset name of the canary version. */
  public readonly canarySubset: string;
  /** The canary weight in force (0–100) after phase and steps are applied. */
  public readonly canaryWeight: number;
  /** Where the release stands. */
  public readonly phase: CanaryPhase;
  /** The stable version. */
  public readonly stable: CanaryVersion;
  /** The canary version. */
  public readonly canary: CanaryVersion;

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    checkProps(this, 'CanaryRelease', props);
    reportChildErrorsAsOwn(this);
    this.meshService = MeshService.of(this, props.service);
    this.host = this.meshService.host;
    this.phase = props.phase ?? CanaryPhase.ROLLOUT;
    this.stable = props.stable;
    this.canary = props.canary;
    const stableLabels = props.stable._podLabels(this, 'stable.labels');
    const canaryLabels = props.canary._podLabels(this, 'canary.labels');
    const [stableSel, canarySel] = distinguishing(stableLabels, canaryLabels);
    if (Object.keys(stableSel).length === 0) {
      fail(this, `stable pods have labels ${show(stableLabels)} and canary pods ${show(canaryLabels)}: no label both carry has different values, so no subset can tell them apart. `
        + 'Give each version a distinguishing label, e.g. version: \'v1\' / version: \'v2\'.');
    }
    this.stableSubset = this.subsetName('stable', props.stable, stableSel);
    this.canarySubset = this.subsetName('canary', props.canary, canarySel);
    if (this.stableSubset === this.canarySubset) {
      fail(this, `stable and canary would both be subset ${show(this.stableSubset)}; give one of them a name (CanaryVersion.fromWorkload(workload, 'name')).`);
    }
    this.canaryWeight = this.weightInForce(props);
    checkPercent(this, 'mirrorPercentage', props.mirrorPercentage);
    const routes = this.buildRoutes(props, props.phase ?? CanaryPhase.ROLLOUT);
    // Checked here, in this construct's terms, before the host's VirtualService holds them.
    routes.forEach((r, i) => renderHttpRoute(this, `routes[${i}]`, r));

    this.meshService._addSubset(this, this.stableSubset, stableSel);
    this.meshService._addSubset(this, this.canarySubset, canarySel);
    renderTrafficPolicy(this, 'trafficPolicy', props.trafficPolicy); // checked in this construct's terms
    if (props.trafficPolicy) this.meshService._addTrafficPolicy(this, props.trafficPolicy);
    if (props.timeout) this.meshService._setTimeout(this, props.timeout);
    if (props.retries) this.meshService._setRetries(this, props.retries);
    this.meshService._setSplit(this, routes.map(route => ({ route, owner: this })));
    promise(this, () => this.promises(props, props.phase ?? CanaryPhase.ROLLOUT));
    this.node.defaultChild = this.meshService.virtualService ?? this.meshService.httpRoute ?? this.meshService.grpcRoute;
    const service = props.service._resolve(this).service;
    // Once the app is complete (the Service's selector may be set later), once per synth.
    if (service) addSynthCheck(this, () => coverageErrors(this, service, { stable: props.stable, canary: props.canary }));
  }

  /** The host's DestinationRule, holding both subsets (ours, or one adopted by the MeshService); undefined with Gateway API. */
  public get destinationRule(): DestinationRule | undefined {
    return this.meshService.destinationRule;
  }

  /** The host's mesh VirtualService, holding the split; undefined with Gateway API. */
  public get virtualService(): VirtualService | undefined {
    return this.meshService.virtualService;
  }

  /** The host's mesh HTTPRoute (its parent is the Service), holding the split; undefined with Istio's classic API. */
  public get httpRoute(): GatewayApiHttpRoute | undefined {
    return this.meshService.httpRoute;
  }

  /** The host's mesh GRPCRoute, holding the split, when the routed port speaks gRPC; Gateway API only. */
  public get grpcRoute(): GatewayApiGrpcRoute | undefined {
    return this.meshService.grpcRoute;
  }

  private buildRoutes(props: CanaryReleaseProps, phase: CanaryPhase): HttpRoute[] {
    const port = this.meshService._port;
    const dest = (subset: string) => ({ host: this.host, subset, port });
    if (phase !== CanaryPhase.ROLLOUT) {
      const subset = phase === CanaryPhase.PROMOTED ? this.canarySubset : this.stableSubset;
      return [{
        name: phase === CanaryPhase.PROMOTED ? 'promoted' : 'rolled-back',
        route: [
          { destination: dest(this.stableSubset), weight: subset === this.stableSubset ? 100 : 0 },
          { destination: dest(this.canarySubset), weight: subset === this.canarySubset ? 100 : 0 },
        ],
      }];
    }
    const routes: HttpRoute[] = [];
    if (props.canaryHeaders && Object.keys(props.canaryHeaders).length) {
      routes.push({ name: 'canary-match', match: [{ headers: props.canaryHeaders }], route: [{ destination: dest(this.canarySubset) }] });
    }
    let canaryDestination: HttpRouteDestination = { destination: dest(this.canarySubset), weight: this.canaryWeight };
    if (props.stickyCookie !== undefined) {
      checkDns1123Label(this, 'stickyCookie', props.stickyCookie);
      const cookieMatch: HttpMatch = { headers: { cookie: StringMatch.regex(`^(.*?;\\s*)?(${props.stickyCookie}=true)(;.*)?$`) } };
      routes.push({ name: 'canary-sticky', match: [cookieMatch], route: [{ destination: dest(this.canarySubset) }] });
      const seconds = (props.stickyDuration ?? Duration.hours(24)).toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < 1) {
        // Max-Age counts whole seconds: a fraction would be rounded, and 0 deletes the cookie at once.
        fail(this, `stickyDuration must be a whole number of seconds of at least 1, got ${seconds}s; a cookie's Max-Age counts whole seconds. Use Duration.seconds(n) with n >= 1.`);
      }
      canaryDestination = { ...canaryDestination, headers: { response: { add: { 'set-cookie': `${props.stickyCookie}=true; Max-Age=${seconds}; Path=/` } } } };
    }
    routes.push({
      name: 'primary',
      route: [{ destination: dest(this.stableSubset), weight: 100 - this.canaryWeight }, canaryDestination],
      mirror: props.mirrorPercentage !== undefined ? dest(this.canarySubset) : undefined,
      mirrorPercentage: props.mirrorPercentage,
    });
    return routes;
  }

  /** The split, the A/B and sticky routes, the mirror and the route policies, as requests a client sends. */
  private promises(props: CanaryReleaseProps, phase: CanaryPhase): Expectation[] {
    const request = this.meshService._clientRequest();
    if (!request) return [];
    // Destinations as the harness names them: the subset, or with Gateway API the version's Service.
    const label = (subset: string) => this.meshService._destinationLabel(subset);
    const [stable, canary, w] = [label(this.stableSubset), label(this.canarySubset), this.canaryWeight];
    // A weight-0 destination is left out of the route Istio generates.
    const weights = w === 0 ? { [stable]: 100 } : w === 100 ? { [canary]: 100 } : { [stable]: 100 - w, [canary]: w };
    const mirrored = phase === CanaryPhase.ROLLOUT && props.mirrorPercentage !== undefined;
    const base: Expectation = {
      promise: `requests without the canary's headers are split ${100 - w}/${w} between ${stable} and ${canary}`
        + (mirrored ? `, ${props.mirrorPercentage}% mirrored to ${canary}` : ''),
      request,
      expect: {
        weights,
        ...(props.timeout ? { timeout: durationText(props.timeout) } : {}),
        ...(props.retries ? { retries: retriesOutcome(props.retries) } : {}),
        ...(mirrored ? { mirror: { name: canary, percent: props.mirrorPercentage! } } : {}),
      },
    };
    const out = [base];
    if (phase !== CanaryPhase.ROLLOUT) return out;
    const sent = sampleHeaders(props.canaryHeaders ?? {});
    if (sent && Object.keys(sent).length) {
      out.push({ promise: `requests with ${headersText(sent)} go to ${canary}`, request: { ...request, headers: sent }, expect: { weights: { [canary]: 100 } } });
    }
    if (props.stickyCookie !== undefined) {
      out.push({
        promise: `requests carrying the cookie ${props.stickyCookie}=true stay on ${canary}`,
        request: { ...request, headers: { cookie: `session=1; ${props.stickyCookie}=true` } },
        expect: { weights: { [canary]: 100 } },
      });
      if (w > 0) {
        const maxAge = (props.stickyDuration ?? Duration.hours(24)).toSeconds({ integral: false });
        out.push({
          promise: `answers from ${canary} set the cookie ${props.stickyCookie} for ${maxAge}s`,
          request,
          expect: { responseHeaders: { [canary]: { 'set-cookie': `${props.stickyCookie}=true; Max-Age=${maxAge}; Path=/` } } },
        });
      }
    }
    return out;
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

  private subsetName(which: string, v: CanaryVersion, labels: { [key: string]: string }): string {
    const name = v.name ?? labels.version ?? which;
    return checkDns1123Label(this, `${which}.name`, name);
  }
}

/**
 * The Service must reach every version: its selector has to match the pods of
 * each (a Service from `v1.exposeViaService()` selects v1's pods only, and the
 * canary's share of traffic would find no endpoint).
 */
function coverageErrors(release: CanaryRelease, service: ApiObject, versions: { [which: string]: CanaryVersion }): string[] {
  const selector = serviceSelectorOf(service);
  const errors: string[] = [];
  for (const [which, version] of Object.entries(versions)) {
    if (!version.workload) continue; // labels alone do not say what else the pods carry
    const pods = version._allPodLabels();
    const missing = Object.entries(selector).filter(([k, v]) => pods[k] !== v);
    if (missing.length) {
      errors.push(`${describe(release)}: ${serviceName(service)} selects ${show(selector)}, but the ${which} version's pods (${version.workload.node.path}) lack ${show(Object.fromEntries(missing))}, `
        + `so requests routed to the ${which} version find no endpoint (503). Select by a label every version carries, e.g. `
        + 'selector: Pods.select(scope, \'pods\', { labels: { app } }), not a workload\'s own selector (exposeViaService()).');
    }
  }
  return errors;
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

/** Describes a Service for messages. */
function serviceName(service: ApiObject): string {
  return `Service ${show(service.name)}`;
}
