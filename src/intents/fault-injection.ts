import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MeshService } from './mesh-service';
import { ServiceReference } from './service-reference';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn } from '../core/errors';
import { durationText, Expectation, headersText, promise, sampleHeaders } from '../core/expectations';
import { StringMatch } from '../core/string-match';
import { HttpFault } from '../resources/http-route';
import { renderHttpRoute } from '../resources/rendering/routes';
import { VirtualService } from '../resources/virtual-service';

/** Props of a `FaultInjection`. */
export interface FaultInjectionProps {
  /** The service. */
  readonly service: ServiceReference;
  /**
   * Send all traffic of the host to this subset (e.g. 'v1', as Istio's task does),
   * defined by a DestinationRule the host's MeshService adopted. Not with a CanaryRelease, which decides the subsets.
   * @default - the host's routing as other intents define it
   */
  readonly subset?: string;
  /** Only requests with these headers get the fault (e.g. `{ 'end-user': StringMatch.exact('jason') }`). @default - all requests */
  readonly headers?: { [name: string]: StringMatch };
  /** Added delay. @default - none */
  readonly delay?: Duration;
  /** HTTP status returned instead of forwarding. @default - none */
  readonly abortStatus?: number;
  /** Percentage of matching requests affected. @default 100 */
  readonly percentage?: number;
}

/**
 * Chaos testing: delay or abort a percentage of requests to a service, for
 * everyone or only for requests matching headers. It contributes to the host's
 * `MeshService`: faulted requests still go where a `CanaryRelease` would send them.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/fault-injection/
 *
 * @example
 * declare const chart: Chart;
 * declare const ratings: kplus.Service;
 *
 * new FaultInjection(chart, 'ratings-chaos', {
 *   service: ServiceReference.fromService(ratings),
 *   headers: { 'end-user': StringMatch.exact('jason') },
 *   delay: Duration.seconds(7),
 * });
 */
export class FaultInjection extends Construct {
  /** The host's traffic model this contributes to. */
  public readonly meshService: MeshService;

  constructor(scope: Construct, id: string, props: FaultInjectionProps) {
    super(scope, id);
    checkProps(this, 'FaultInjection', props);
    reportChildErrorsAsOwn(this);
    if (!props.delay && props.abortStatus === undefined) fail(this, 'needs delay or abortStatus.');
    const fault: HttpFault = {
      delay: props.delay ? { fixedDelay: props.delay, percentage: props.percentage ?? 100 } : undefined,
      abort: props.abortStatus !== undefined ? { httpStatus: props.abortStatus, percentage: props.percentage ?? 100 } : undefined,
    };
    // Checked here, in this construct's terms, before the host's VirtualService holds it.
    if (props.headers && Object.keys(props.headers).length === 0) {
      fail(this, 'headers is empty, which would fault every request; list the headers that select the requests, or omit headers to fault all of them.');
    }
    const headers = props.headers;
    renderHttpRoute(this, 'props', { match: headers ? [{ headers }] : undefined, route: [{ destination: { host: 'checked.invalid', subset: props.subset } }], fault });
    this.meshService = MeshService.of(this, props.service);
    if (props.subset !== undefined) this.meshService._setDefaultSubset(this, props.subset);
    this.meshService._addFault(this, { headers, fault });
    promise(this, () => this.promises(props));
    this.node.defaultChild = this.meshService.virtualService ?? this.meshService.httpRoute ?? this.meshService.grpcRoute;
  }

  /** Requests with the headers get the delay and abort; without them, neither (when headers select). */
  private promises(props: FaultInjectionProps): Expectation[] {
    const request = this.meshService._clientRequest();
    if (!request) return [];
    const percent = props.percentage ?? 100;
    const sampled = sampleHeaders(props.headers ?? {});
    if (!sampled) return [];
    const headers = Object.keys(sampled).length ? sampled : undefined;
    const delay = props.delay ? { fixed: durationText(props.delay), percent } : undefined;
    const abort = props.abortStatus !== undefined ? { status: props.abortStatus, percent } : undefined;
    const what = [delay && `a ${delay.fixed} delay`, abort && `a ${abort.status} abort`].filter(Boolean).join(' and ');
    const out: Expectation[] = [{
      promise: `${headers ? `requests with ${headersText(headers)}` : 'every request'} get${percent < 100 ? ` (${percent}%)` : ''} ${what}`,
      request: { ...request, headers },
      expect: {
        ...(delay ? { delay } : {}),
        ...(abort ? { abort } : {}),
        ...(abort && percent >= 100 ? { status: abort.status } : {}),
      },
    }];
    if (headers) {
      out.push({ promise: `requests without ${headersText(headers)} get no fault`, request, expect: { delay: null, abort: null } });
    }
    return out;
  }

  /** The host's VirtualService, carrying the fault. */
  public get virtualService(): VirtualService {
    return this.meshService.virtualService!;
  }
}
