import * as path from 'path';
import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { fail, show } from './errors';
import { PACKAGE_ROOT } from './package-root';

/** Which API traffic intents render to. */
export enum TrafficApiKind {
  /** Istio's own: VirtualService, DestinationRule subsets, Istio Gateway. */
  ISTIO = 'ISTIO',
  /** Kubernetes Gateway API: HTTPRoute (a Service parent for mesh traffic), Gateway, per-version Services. */
  GATEWAY_API = 'GATEWAY_API',
}

/** A release channel of the Gateway API CRDs. */
export enum GatewayApiChannel {
  /** The stable resources and fields. */
  STANDARD = 'standard',
  /** Standard plus experimental fields (e.g. HTTPRoute `retry`). */
  EXPERIMENTAL = 'experimental',
}

/** The Gateway API CRDs an app targets. */
export interface GatewayApiOptions {
  /** The Gateway API release whose CRDs are installed. @default '1.5.1' (Istio 1.30 and 1.31 need 1.5 or later) */
  readonly version?: string;
  /** The channel installed. @default GatewayApiChannel.STANDARD */
  readonly channel?: GatewayApiChannel;
}

/** Gateway API releases whose CRDs this library carries (crds/gateway-api-<version>-<channel>.json). */
export const GATEWAY_API_VERSIONS = ['1.5.1'];
const KEY = Symbol.for('cdk8s-istio.TrafficApi');

/**
 * The API traffic intents (`MeshIngress`, `CanaryRelease`, `ServiceResilience`, ...) render
 * to, set for a whole app or one chart before the intents are added. Istio's classic API is
 * the default; Gateway API renders the same props as Gateway, HTTPRoute (GAMMA for mesh
 * traffic) and per-version Services, and what it cannot express is a synth error.
 *
 * @example
 * declare const app: App;
 *
 * TrafficApi.use(app, TrafficApi.gatewayApi({ version: '1.5.1', channel: GatewayApiChannel.STANDARD }));
 */
export class TrafficApi {
  /** Istio's classic API (the default). */
  public static istio(): TrafficApi {
    return new TrafficApi(TrafficApiKind.ISTIO, '', GatewayApiChannel.STANDARD);
  }

  /** Kubernetes Gateway API, in a version and channel whose CRDs the cluster has. */
  public static gatewayApi(options: GatewayApiOptions = {}): TrafficApi {
    checkArguments(undefined, 'TrafficApi', 'gatewayApi', arguments);
    const version = options.version ?? '1.5.1';
    if (!GATEWAY_API_VERSIONS.includes(version)) {
      throw new Error(`TrafficApi.gatewayApi(): version ${show(version)} is not one whose CRDs this library carries (${GATEWAY_API_VERSIONS.join(', ')}); Istio 1.30 and 1.31 need 1.5 or later.`);
    }
    return new TrafficApi(TrafficApiKind.GATEWAY_API, version, options.channel ?? GatewayApiChannel.STANDARD);
  }

  /**
   * Sets the API for everything under `scope` (an App or a Chart). Call it before adding
   * intents: they render when they are created.
   */
  public static use(scope: IConstruct, api: TrafficApi): void {
    checkArguments(undefined, 'TrafficApi', 'use', arguments);
    const holder = scope as any;
    if (holder[KEY]) fail(scope, `already renders traffic to ${holder[KEY].describe()}; set the API once per app or chart.`);
    const rendered = scope.node.findAll().find(c => c !== scope && (c as any)[RENDERS]);
    if (rendered) fail(scope, `TrafficApi.use() comes after '${rendered.node.path}' rendered its routes; call it before adding intents.`);
    Object.defineProperty(holder, KEY, { value: api });
  }

  /** The API in force for `scope`: its nearest scope's setting (a chart, then the app), else Istio's. */
  public static of(scope: IConstruct): TrafficApi {
    checkArguments(undefined, 'TrafficApi', 'of', arguments);
    for (const c of [...scope.node.scopes].reverse()) {
      const api = (c as any)[KEY];
      if (api) return api;
    }
    return TrafficApi.istio();
  }

  /**
   * The Gateway API CRDs an app targets: the one Gateway API setting of its app and charts
   * (one cluster, one CRD install), else Gateway API's default (standard, 1.5.1). @internal
   */
  public static _ofApp(root: IConstruct): TrafficApi {
    const settings = root.node.findAll().map(c => (c as any)[KEY] as TrafficApi | undefined)
      .filter((a): a is TrafficApi => a !== undefined && a.isGatewayApi);
    const distinct = [...new Set(settings.map(a => a.describe()))];
    if (distinct.length > 1) {
      throw new Error(`the app's charts target different Gateway API CRDs (${distinct.join(', ')}); one cluster has one install of them. Use one version and channel.`);
    }
    return settings[0] ?? TrafficApi.gatewayApi();
  }

  /** Marks a construct as having rendered routes (TrafficApi.use() after it is an error). @internal */
  public static _markRendered(scope: IConstruct): void {
    if (!(scope as any)[RENDERS]) Object.defineProperty(scope, RENDERS, { value: true });
  }

  private constructor(
    /** Which API. */
    public readonly kind: TrafficApiKind,
    /** The Gateway API version (GATEWAY_API only). */
    public readonly version: string,
    /** The Gateway API channel (GATEWAY_API only). */
    public readonly channel: GatewayApiChannel) {}

  /** Whether this is Gateway API. */
  public get isGatewayApi(): boolean {
    return this.kind === TrafficApiKind.GATEWAY_API;
  }

  /** The package's file of this Gateway API release's CRDs in this channel (one JSON CRD per line). @internal */
  public get _crdFile(): string {
    return path.join(PACKAGE_ROOT, 'crds', `gateway-api-${this.version}-${this.channel}.json`);
  }

  /** Words for messages: 'Istio's classic API' or 'Gateway API 1.5.1 (standard channel)'. */
  public describe(): string {
    return this.isGatewayApi ? `Gateway API ${this.version} (${this.channel} channel)` : 'Istio\'s classic API';
  }

  /**
   * Fails naming `owner` when Gateway API cannot express `feature` (or only its experimental
   * channel can, and the app targets standard). @internal
   */
  public _require(owner: IConstruct, feature: string, support: 'none' | 'experimental', wayOut: string): void {
    if (!this.isGatewayApi) return;
    if (support === 'experimental' && this.channel === GatewayApiChannel.EXPERIMENTAL) return;
    const why = support === 'none' ? 'Gateway API cannot express it' : `it is only in Gateway API's experimental channel, and the app targets ${this.describe()}`;
    fail(owner, `${feature}: ${why}. ${wayOut}`);
  }
}

const RENDERS = Symbol.for('cdk8s-istio.TrafficApi.rendered');
