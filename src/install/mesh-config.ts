import { IConstruct } from 'constructs';
import { checkArguments } from '../core/arguments';
import { fail, show } from '../core/errors';
import { checkHost } from '../core/names';
import { checkPort } from '../core/percent';
import { ConnectionPoolSettings } from '../resources/connection-pool';
import { OutlierDetection } from '../resources/outlier-detection';
import { OutboundTrafficMode } from '../resources/sidecar';

/** How Envoy writes access logs. */
export enum AccessLogEncoding {
  /** Plain text lines. */
  TEXT = 'TEXT',
  /** One JSON object per line. */
  JSON = 'JSON',
}

/** Where an extension provider sends data or checks. */
export interface ProviderService {
  /** Service FQDN, e.g. `ext-authz.auth.svc.cluster.local`. */
  readonly service: string;
  /** Service port. */
  readonly port: number;
}

/** Options of an HTTP ext-authz provider. */
export interface ExtAuthzHttpOptions extends ProviderService {
  /** Request headers forwarded to the authorizer. @default - Istio's default set */
  readonly includeRequestHeadersInCheck?: string[];
  /** Authorizer response headers copied to the upstream request on allow. @default - none */
  readonly headersToUpstreamOnAllow?: string[];
}

/**
 * A mesh-wide extension provider (`meshConfig.extensionProviders[]`): external
 * authorization for `AuthorizationPolicy` action CUSTOM, or a tracing backend
 * for `Telemetry`.
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-ExtensionProvider
 *
 * @example
 * declare const chart: Chart;
 *
 * new IstioControlPlane(chart, 'istio', {
 *   meshConfig: { extensionProviders: [ExtensionProvider.extAuthzHttp('ext-authz', { service: 'ext-authz.auth.svc.cluster.local', port: 8000 })] },
 * });
 */
export class ExtensionProvider {
  /** An HTTP external authorizer (referenced by `AuthorizationPolicy` CUSTOM `provider.name`). */
  public static extAuthzHttp(name: string, options: ExtAuthzHttpOptions): ExtensionProvider {
    checkArguments(undefined, 'ExtensionProvider', 'extAuthzHttp', arguments);
    return new ExtensionProvider(name, 'envoyExtAuthzHttp', options, {
      includeRequestHeadersInCheck: options.includeRequestHeadersInCheck,
      headersToUpstreamOnAllow: options.headersToUpstreamOnAllow,
    });
  }

  /** A gRPC external authorizer. */
  public static extAuthzGrpc(name: string, options: ProviderService): ExtensionProvider {
    checkArguments(undefined, 'ExtensionProvider', 'extAuthzGrpc', arguments);
    return new ExtensionProvider(name, 'envoyExtAuthzGrpc', options, {});
  }

  /** An OpenTelemetry tracing collector (OTLP/gRPC). */
  public static openTelemetry(name: string, options: ProviderService): ExtensionProvider {
    checkArguments(undefined, 'ExtensionProvider', 'openTelemetry', arguments);
    return new ExtensionProvider(name, 'opentelemetry', options, {});
  }

  /** A Zipkin-compatible tracing backend. */
  public static zipkin(name: string, options: ProviderService): ExtensionProvider {
    checkArguments(undefined, 'ExtensionProvider', 'zipkin', arguments);
    return new ExtensionProvider(name, 'zipkin', options, {});
  }

  private constructor(
    /** Provider name, referenced from policies and Telemetry. */
    public readonly name: string,
    private readonly field: string,
    private readonly target: ProviderService,
    private readonly extra: { [key: string]: any },
  ) {}

  /** The service and port it sends to or checks with. @internal */
  public get _target(): ProviderService {
    return this.target;
  }

  /** Whether it is a tracing backend (OpenTelemetry or Zipkin). @internal */
  public get _tracing(): boolean {
    return this.field === 'opentelemetry' || this.field === 'zipkin';
  }

  /** @internal */
  public _render(scope: IConstruct, prop: string): any {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.name)) {
      fail(scope, `${prop}.name ${show(this.name)} is not a valid provider name; use lowercase letters, digits, '-' and '.'.`);
    }
    checkHost(scope, `${prop}.service`, this.target.service, { allowWildcard: false });
    checkPort(scope, `${prop}.port`, this.target.port);
    return { name: this.name, [this.field]: { service: this.target.service, port: this.target.port, ...this.extra } };
  }
}

/**
 * Mesh-wide baselines for every outbound cluster (Istio 1.31 or later). A DestinationRule that
 * sets `connectionPool` or `outlierDetection` replaces that whole block; one that does not
 * inherits it.
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/#MeshConfig-DefaultTrafficPolicy
 */
export interface MeshDefaultTrafficPolicy {
  /** Baseline connection limits. @default - Envoy's built-in limits */
  readonly connectionPool?: ConnectionPoolSettings;
  /** Baseline outlier detection. @default - none */
  readonly outlierDetection?: OutlierDetection;
}

/**
 * The mesh-wide settings of a control plane (`meshConfig`), typed.
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
 */
export interface MeshConfigOptions {
  /** Let sidecars use mutual TLS automatically whenever the server has a proxy. @default true (Istio's default) */
  readonly enableAutoMtls?: boolean;
  /** What happens to calls to hosts not in the registry. @default ALLOW_ANY (Istio's default) */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
  /** Access log destination, e.g. `/dev/stdout`. @default - access logs off */
  readonly accessLogFile?: string;
  /** Access log encoding. @default TEXT */
  readonly accessLogEncoding?: AccessLogEncoding;
  /** Access log format (Envoy command operators). @default - Istio's format */
  readonly accessLogFormat?: string;
  /** Percentage of requests traced (0–100). @default 1 (Istio's default) */
  readonly tracingSamplingPercent?: number;
  /** Extension providers: ext-authz for CUSTOM policies, tracing backends. @default - none */
  readonly extensionProviders?: ExtensionProvider[];
  /** Providers used for tracing when no Telemetry resource selects one. @default - none */
  readonly defaultTracingProviders?: string[];
  /**
   * Baseline connection pool and outlier detection for every outbound cluster, which
   * DestinationRules override per block. Needs Istio 1.31 or later.
   * @default - none
   */
  readonly defaultTrafficPolicy?: MeshDefaultTrafficPolicy;
}

