import type { FindingSeverity } from './finding';

/**
 * Linear indexes over the JSON of every object in an app, built once per
 * analysis: workloads by namespace and by label, Services by FQDN,
 * DestinationRules by host, Gateways by `ns/name`. Checks look things up here
 * instead of scanning pairs of objects.
 * @internal
 */
export interface IndexedObject {
  readonly json: any;
  /** Construct path of the ApiObject. */
  readonly path: string;
  readonly namespace: string;
}

/** Pod labels of one workload (a Pod or a pod template). @internal */
export interface Workload {
  readonly object: IndexedObject;
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod']);

/** @internal */
export class MeshIndex {
  public readonly byKind = new Map<string, IndexedObject[]>();
  public readonly workloads: Workload[] = [];
  public readonly workloadsByNamespace = new Map<string, Workload[]>();
  private readonly workloadsByLabel = new Map<string, Workload[]>();
  public readonly servicesByHost = new Map<string, IndexedObject>();
  public readonly destinationRulesByHost = new Map<string, IndexedObject[]>();
  public readonly gatewaysByRef = new Map<string, IndexedObject>();

  constructor(objects: IndexedObject[]) {
    for (const o of objects) {
      const kind = o.json.kind;
      push(this.byKind, kind, o);
      if (WORKLOAD_KINDS.has(kind)) this.addWorkload(o);
      if (kind === 'CronJob') this.addWorkload(o, o.json.spec?.jobTemplate?.spec?.template?.metadata?.labels);
      if (kind === 'Service') this.servicesByHost.set(`${o.json.metadata.name}.${o.namespace}.svc.cluster.local`, o);
      if (kind === 'DestinationRule') push(this.destinationRulesByHost, resolveHost(o.json.spec?.host, o.namespace), o);
      if (kind === 'Gateway' && o.json.apiVersion?.startsWith('networking.istio.io/')) this.gatewaysByRef.set(`${o.namespace}/${o.json.metadata.name}`, o);
    }
  }

  public of(kind: string): IndexedObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Whether the app declares any workload (in `namespace`, when given): selector checks need something to match. */
  public hasWorkloads(namespace?: string): boolean {
    return namespace === undefined ? this.workloads.length > 0 : (this.workloadsByNamespace.get(namespace)?.length ?? 0) > 0;
  }

  /** Workloads whose labels include every selector label (in `namespace`, when given). */
  public select(selector: { [key: string]: string }, namespace?: string): Workload[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return namespace === undefined ? this.workloads : this.workloadsByNamespace.get(namespace) ?? [];
    // Start from the rarest label, then filter: cost is the smallest candidate set, not all pods.
    let smallest: Workload[] | undefined;
    for (const [k, v] of entries) {
      const candidates = this.workloadsByLabel.get(`${k}=${v}`) ?? [];
      if (!smallest || candidates.length < smallest.length) smallest = candidates;
    }
    return smallest!.filter(w => (namespace === undefined || w.object.namespace === namespace) && entries.every(([k, v]) => w.labels[k] === v));
  }

  private addWorkload(o: IndexedObject, labels?: { [key: string]: string }): void {
    const meta = o.json.kind === 'Pod' ? o.json.metadata : o.json.kind === 'CronJob' ? o.json.spec?.jobTemplate?.spec?.template?.metadata : o.json.spec?.template?.metadata;
    const podLabels = labels ?? meta?.labels ?? {};
    const w: Workload = { object: o, labels: podLabels, annotations: meta?.annotations ?? {} };
    this.workloads.push(w);
    push(this.workloadsByNamespace, o.namespace, w);
    for (const [k, v] of Object.entries(podLabels)) push(this.workloadsByLabel, `${k}=${v}`, w);
  }
}

/** Short names resolve in the object's namespace; FQDNs and external names stay as they are. @internal */
export function resolveHost(host: string | undefined, namespace: string): string {
  if (!host) return '';
  return host.includes('.') || host === '*' ? host : `${host}.${namespace}.svc.cluster.local`;
}

/** Whether host pattern `pattern` (maybe `*.example.com` or `*`) covers `host`. @internal */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) || (host.startsWith('*.') && host.endsWith(pattern.slice(1)));
  return false;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

/** Records one finding against an object. @internal */
export type Report = (object: IndexedObject, code: string, severity: FindingSeverity, message: string) => void;
