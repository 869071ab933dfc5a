import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { rendersAtWaypoint } from './traffic/ambient';
import { Waypoint } from './waypoint';
import { checkProps } from '../core/arguments';
import { fail, reportChildErrorsAsOwn, show } from '../core/errors';
import { Expectation, promise, samplePolicyPath } from '../core/expectations';
import { pathProblem } from '../core/http-path';
import { checkDns1123Subdomain, nameFromId } from '../core/names';
import { checkPort } from '../core/percent';
import { WorkloadSelector } from '../core/workload-selector';
import { AuthorizationAction, AuthorizationPolicy } from '../resources/authorization-policy';

/** Props of `DeniedRequests`. */
export interface DeniedRequestsProps {
  /** The pods whose requests are refused. Use `WorkloadSelector.fromWorkload(deployment)`. */
  readonly to: WorkloadSelector;
  /** Paths refused (Istio path syntax: exact, `prefix*`, `*suffix`), e.g. `['/admin', '/admin/*']`. @default - every path (give methods) */
  readonly paths?: string[];
  /** HTTP methods refused, e.g. `['DELETE']`. @default - every method (give paths) */
  readonly methods?: string[];
  /**
   * The container ports (the Services' target ports) that speak HTTP. Required: a DENY with
   * HTTP fields on a port Istio reads as TCP would refuse every connection there.
   */
  readonly ports: number[];
  /** Name of the policy. @default - derived from the construct id */
  readonly name?: string;
}

/**
 * Refuses requests to some paths or methods of a workload, for every caller, whatever ALLOW
 * policies other constructs add: a DENY. With sidecars it selects the pods; in an ambient
 * namespace, where ztunnel sees no HTTP, it attaches to the waypoint of the pods' Services,
 * and the pods refuse traffic that skipped the waypoint.
 *
 * @example
 * declare const chart: Chart;
 * declare const productpage: kplus.Deployment;
 *
 * new DeniedRequests(chart, 'admin', {
 *   to: WorkloadSelector.fromWorkload(productpage),
 *   paths: ['/admin', '/admin/*'],
 *   ports: [9080],
 * });
 */
export class DeniedRequests extends Construct {
  /** The DENY policy. */
  public readonly authorizationPolicy: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: DeniedRequestsProps) {
    super(scope, id);
    checkProps(this, 'DeniedRequests', props);
    reportChildErrorsAsOwn(this);
    if (!props.paths?.length && !props.methods?.length) fail(this, 'give paths or methods to refuse; a DENY of everything is ZeroTrustNamespace\'s allow-nothing.');
    props.paths?.forEach((p, i) => {
      const problem = pathProblem(p);
      if (problem) fail(this, `paths[${i}] is ${show(p)}: ${problem}`);
    });
    props.methods?.forEach((m, i) => {
      if (!/^[A-Z]+$/.test(m)) fail(this, `methods[${i}] is ${show(m)}; HTTP methods are upper-case words, e.g. 'DELETE'.`);
    });
    if (props.ports.length === 0) fail(this, 'ports is empty; name the container ports that speak HTTP.');
    props.ports.forEach((p, i) => {
      checkPort(this, `ports[${i}]`, p);
      const known = props.to._ports;
      if (known?.length && !known.includes(p)) fail(this, `ports[${i}] is ${p}, which is not a container port of the workload (${known.join(', ')}); policies see the pod's port, not the Service's.`);
    });
    const name = props.name ?? nameFromId(this.node.id);
    checkDns1123Subdomain(this, props.name !== undefined ? 'name' : `name (derived from the id ${show(this.node.id)}; set name to choose another)`, name);
    const namespace = Chart.of(this).namespace ?? 'default';
    const atWaypoint = rendersAtWaypoint(this, namespace, props.to)
      ? Waypoint._attach(this, namespace, props.to.labels, 'request denial', { guard: { name }, ports: props.ports }) : undefined;
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      metadata: { name },
      selector: atWaypoint ? undefined : props.to,
      action: AuthorizationAction.DENY,
      rules: [{
        operations: [{
          paths: props.paths,
          methods: props.methods,
          // A waypoint sees the Service port the caller dialled.
          ports: atWaypoint ? atWaypoint.servicePorts : props.ports,
        }],
      }],
    });
    if (atWaypoint) this.authorizationPolicy._generateTargeting(atWaypoint.targeting);
    this.node.defaultChild = this.authorizationPolicy;
    promise(this, () => this.promises(props, namespace, name));
  }

  /** Sent to the workload's own port: a refused path (or method) gets 403 from this policy; another path is not refused by it. */
  private promises(props: DeniedRequestsProps, namespace: string, name: string): Expectation[] {
    const request = {
      from: { namespace: 'semantics-caller' },
      to: { namespace, labels: props.to.labels },
      host: 'semantics.test',
      port: props.ports[0],
      path: props.paths?.length ? samplePolicyPath(props.paths[0]) : undefined,
      method: props.methods?.[0],
    };
    const refused = `${request.method ?? ''} ${request.path ?? ''}`.trim();
    const other = props.methods?.length ? { method: ['GET', 'POST', 'PUT', 'DELETE'].find(m => !props.methods!.includes(m)) } : { path: '/semantics/not-denied' };
    return [
      { promise: `${refused} is refused by ${name}`, request, expect: { status: 403, policies: { [name]: 'denies' } } },
      { promise: `${other.method ?? other.path} is not refused by ${name}`, request: { ...request, ...other }, expect: { policies: { [name]: 'no match' } } },
    ];
  }
}
