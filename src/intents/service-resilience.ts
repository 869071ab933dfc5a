import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { resolveService } from './service-target';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn } from '../core/errors';
import { DestinationRule } from '../resources/destination-rule';
import { HttpRetry } from '../resources/routing';
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
  /** The service. @default - use host */
  readonly service?: kplus.Service;
  /** The service FQDN. @default - derived from service */
  readonly host?: string;
  /** Port. @default - the only port */
  readonly port?: number;
  /** Request timeout. @default - none */
  readonly timeout?: Duration;
  /** Retries. @default - Istio default */
  readonly retries?: HttpRetry;
  /** Circuit breaking. @default - none */
  readonly circuitBreaker?: CircuitBreaker;
}

/**
 * Timeouts, retries and circuit breaking for one service (which must not have
 * another VirtualService, e.g. from a CanaryRelease: use its timeout/retries/trafficPolicy).
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/circuit-breaking/
 */
export class ServiceResilience extends Construct {
  /** The VirtualService with timeout and retries (when given). */
  public readonly virtualService?: VirtualService;
  /** The DestinationRule with circuit breaking (when given). */
  public readonly destinationRule?: DestinationRule;

  constructor(scope: Construct, id: string, props: ServiceResilienceProps) {
    super(scope, id);
    checkProps(this, 'ServiceResilience', props);
    reportChildErrorsAsOwn(this);
    const svc = resolveService(this, props.service, props.host, props.port);
    if (!props.timeout && !props.retries && !props.circuitBreaker) {
      fail(this, 'sets none of timeout, retries or circuitBreaker, so it would do nothing.');
    }
    const name = svc.host.split('.')[0];
    const cb = props.circuitBreaker;
    if (cb) {
      this.destinationRule = new DestinationRule(this, 'DestinationRule', {
        metadata: { name, namespace: svc.namespace },
        host: svc.host,
        trafficPolicy: {
          connectionPool: {
            tcp: cb.maxConnections !== undefined ? { maxConnections: cb.maxConnections } : undefined,
            http: cb.maxPendingRequests !== undefined || cb.maxRequestsPerConnection !== undefined
              ? { http1MaxPendingRequests: cb.maxPendingRequests, maxRequestsPerConnection: cb.maxRequestsPerConnection } : undefined,
          },
          outlierDetection: {
            consecutive5xxErrors: cb.consecutive5xxErrors ?? 5,
            interval: cb.interval ?? Duration.seconds(10),
            baseEjectionTime: cb.baseEjectionTime ?? Duration.seconds(30),
            maxEjectionPercent: cb.maxEjectionPercent ?? 100,
          },
        },
      });
    }
    if (props.timeout || props.retries) {
      this.virtualService = new VirtualService(this, 'VirtualService', {
        metadata: { name, namespace: svc.namespace },
        hosts: [svc.host],
        http: [{ route: [{ destination: { host: svc.host, port: svc.port } }], timeout: props.timeout, retries: props.retries }],
      });
    }
  }
}
