import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { resolveService } from './service-target';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn } from '../core/errors';
import { StringMatch } from '../core/string-match';
import { HttpRoute } from '../resources/routing';
import { VirtualService } from '../resources/virtual-service';

/** Props of a `FaultInjection`. */
export interface FaultInjectionProps {
  /** The service. @default - use host */
  readonly service?: kplus.Service;
  /** The service FQDN. @default - derived from service */
  readonly host?: string;
  /** Port. @default - the only port */
  readonly port?: number;
  /** Subset all traffic goes to (e.g. 'v1'); needs a DestinationRule defining it. @default - no subset */
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
 * everyone or only for requests matching headers.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/fault-injection/
 */
export class FaultInjection extends Construct {
  /** The VirtualService carrying the fault. */
  public readonly virtualService: VirtualService;

  constructor(scope: Construct, id: string, props: FaultInjectionProps) {
    super(scope, id);
    checkProps(this, 'FaultInjection', props);
    reportChildErrorsAsOwn(this);
    const svc = resolveService(this, props.service, props.host, props.port);
    if (!props.delay && props.abortStatus === undefined) fail(this, 'needs delay or abortStatus.');
    const destination = { host: svc.host, subset: props.subset, port: svc.port };
    const faulty: HttpRoute = {
      name: 'fault',
      match: props.headers ? [{ headers: props.headers }] : undefined,
      route: [{ destination }],
      fault: {
        delay: props.delay ? { fixedDelay: props.delay, percentage: props.percentage ?? 100 } : undefined,
        abort: props.abortStatus !== undefined ? { httpStatus: props.abortStatus, percentage: props.percentage ?? 100 } : undefined,
      },
    };
    const http: HttpRoute[] = props.headers ? [faulty, { name: 'default', route: [{ destination }] }] : [faulty];
    this.virtualService = new VirtualService(this, 'VirtualService', {
      metadata: { name: svc.host.split('.')[0], namespace: svc.namespace },
      hosts: [svc.host],
      http,
    });
  }
}
