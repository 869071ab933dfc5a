import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshService } from './mesh-service';
import { ServiceReference } from './service-reference';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn } from '../core/errors';
import { durationText, Expectation, promise, retriesOutcome } from '../core/expectations';
import { DestinationRule } from '../resources/destination-rule';
import { HttpRetry } from '../resources/http-route';
import { renderHttpRoute } from '../resources/rendering/routes';
import { renderTrafficPolicy } from '../resources/rendering/traffic-policy';
import { TrafficPolicy } from '../resources/traffic-policy';
import { VirtualService } from '../resources/virtual-service';

/** Circuit-breaker limits. */
export interface CircuitBreaker {
  /** Max TCP connections per endpoint. @default - unlimited */
  readonly maxConnections?: number;
  /** Max queued requests. @default - unlimited */
  readonly maxPendingRequests?: number;
  /** Max requests per connection. @default - unlimited */
  readonly maxRequestsPerConnection?: number;
  /** 5xx responses before an endpoint is ejected. @default 5 */
  readonly consecutive5xxErrors?: number;
  /** Ejection analysis interval. @default 10s */
  readonly interval?: Duration;
  /** Minimum ejection time. @default 30s */
  readonly baseEjectionTime?: Duration;
  /** Max share of endpoints ejected. @default 100 */
  readonly maxEjectionPercent?: number;
}

/** Props of a `ServiceResilience`. */
export interface ServiceResilienceProps {
  /** The service. */
  readonly service: ServiceReference;
  /** Request timeout. @default - none */
  readonly timeout?: Duration;
  /** Retries. @default - Istio default */
  readonly retries?: HttpRetry;
  /** Circuit breaking. @default - none */
  readonly circuitBreaker?: CircuitBreaker;
}

/**
 * Timeouts, retries and circuit breaking for one service. It contributes to the
 * host's `MeshService`, so it composes with a `CanaryRelease` (circuit breaking
 * next to its subsets, the timeout on its routes) and `FaultInjection`.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/
 *
 * @example
 * declare const chart: Chart;
 * declare const reviews: kplus.Service;
 *
 * new ServiceResilience(chart, 'reviews-resilience', {
 *   service: ServiceReference.fromService(reviews),
 *   timeout: Duration.seconds(3),
 *   retries: { attempts: 2, perTryTimeout: Duration.seconds(1) },
 *   circuitBreaker: { maxConnections: 100, consecutive5xxErrors: 5 },
 * });
 */
export class ServiceResilience extends Construct {
  /** The host's traffic model this contributes to. */
  public readonly meshService: MeshService;

  constructor(scope: Construct, id: string, props: ServiceResilienceProps) {
    super(scope, id);
    checkProps(this, 'ServiceResilience', props);
    reportChildErrorsAsOwn(this);
    if (!props.timeout && !props.retries && !props.circuitBreaker) {
      fail(this, 'sets none of timeout, retries or circuitBreaker, so it would do nothing.');
    }
    // Checked here, in this construct's terms, before the host's objects hold them.
    renderHttpRoute(this, 'props', { route: [{ destination: { host: 'checked.invalid' } }], timeout: props.timeout, retries: props.retries });
    this.meshService = MeshService.of(this, props.service);
    const cb = props.circuitBreaker;
    if (cb) {
      const policy: TrafficPolicy = {
        connectionPool: cb.maxConnections !== undefined || cb.maxPendingRequests !== undefined || cb.maxRequestsPerConnection !== undefined ? {
          tcp: cb.maxConnections !== undefined ? { maxConnections: cb.maxConnections } : undefined,
          http: cb.maxPendingRequests !== undefined || cb.maxRequestsPerConnection !== undefined
            ? { http1MaxPendingRequests: cb.maxPendingRequests, maxRequestsPerConnection: cb.maxRequestsPerConnection } : undefined,
        } : undefined,
        outlierDetection: {
          consecutive5xxErrors: cb.consecutive5xxErrors ?? 5,
          interval: cb.interval ?? Duration.seconds(10),
          baseEjectionTime: cb.baseEjectionTime ?? Duration.seconds(30),
          maxEjectionPercent: cb.maxEjectionPercent ?? 100,
        },
      };
      renderTrafficPolicy(this, 'circuitBreaker', policy);
      this.meshService._addTrafficPolicy(this, policy);
    }
    if (props.timeout) this.meshService._setTimeout(this, props.timeout);
    if (props.retries) this.meshService._setRetries(this, props.retries);
    promise(this, () => this.promises(props));
    const routes = this.meshService.virtualService ?? this.meshService.httpRoute ?? this.meshService.grpcRoute;
    this.node.defaultChild = props.timeout || props.retries ? routes : this.meshService.destinationRule;
  }

  /** Every request to the host carries the timeout and retries; its connections the circuit breaker. */
  private promises(props: ServiceResilienceProps): Expectation[] {
    const request = this.meshService._clientRequest();
    if (!request) return [];
    const cb = props.circuitBreaker;
    const circuitBreaker = cb ? {
      ...(cb.maxConnections !== undefined ? { maxConnections: cb.maxConnections } : {}),
      ...(cb.maxPendingRequests !== undefined ? { maxPendingRequests: cb.maxPendingRequests } : {}),
      ...(cb.maxRequestsPerConnection !== undefined ? { maxRequestsPerConnection: cb.maxRequestsPerConnection } : {}),
      consecutive5xxErrors: cb.consecutive5xxErrors ?? 5,
      interval: durationText(cb.interval ?? Duration.seconds(10)),
      baseEjectionTime: durationText(cb.baseEjectionTime ?? Duration.seconds(30)),
      maxEjectionPercent: cb.maxEjectionPercent ?? 100,
    } : undefined;
    return [{
      promise: 'requests to the host carry its timeout, retries and circuit breaker',
      request,
      expect: {
        ...(props.timeout ? { timeout: durationText(props.timeout) } : {}),
        ...(props.retries ? { retries: retriesOutcome(props.retries) } : {}),
        ...(circuitBreaker ? { circuitBreaker } : {}),
      },
    }];
  }

  /** The host's VirtualService (carrying the timeout and retries), when this sets them. */
  public get virtualService(): VirtualService | undefined {
    return this.meshService.virtualService;
  }

  /** The host's DestinationRule (carrying the circuit breaker), when there is one. */
  public get destinationRule(): DestinationRule | undefined {
    return this.meshService.destinationRule;
  }
}
