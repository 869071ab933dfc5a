import { FindingSeverity } from './finding';
import { IndexedObject, Report } from './mesh-index';

// Kinds the API server keeps without a namespace: their identity ignores the chart's namespace.
const CLUSTER_SCOPED = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration', 'PriorityClass', 'StorageClass', 'PersistentVolume', 'GatewayClass', 'IngressClass',
]);

/**
 * One identity per object: two objects with the same group, kind, namespace and
 * name are one object to the API server, and the later apply silently replaces
 * the earlier (a JWT rule, an allow rule, a DestinationRule's subsets lost).
 * @internal
 */
export function checkIdentities(objects: IndexedObject[], report: Report): void {
  const first = new Map<string, IndexedObject>();
  for (const o of objects) {
    const name = o.json.metadata?.name;
    if (typeof name !== 'string') continue;
    const group = String(o.json.apiVersion ?? '').split('/').slice(0, -1).join('/');
    const namespace = CLUSTER_SCOPED.has(o.json.kind) ? '' : o.namespace;
    const key = `${group}|${o.json.kind}|${namespace}|${name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, o);
      continue;
    }
    const where = namespace ? `${namespace}/${name}` : name;
    report(o, 'CDK8SISTIO005', FindingSeverity.ERROR,
      `${o.json.kind} ${where} is also emitted by '${earlier.path}': the API server keeps one object per group, kind, namespace and name, so one would silently replace the other. Give one of them another metadata.name.`);
  }
}
