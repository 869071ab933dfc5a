import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report } from './mesh-index';
import { isDns1123Label, isDns1123Subdomain } from '../core/names';

const { ERROR } = FindingSeverity;
const CODE = 'CDK8SISTIO012';
// Kinds whose names the API server checks as DNS-1123 labels rather than subdomains.
const LABEL_NAMED = new Set(['Namespace', 'Service']);
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * What the Kubernetes API server would reject in the app's Kubernetes objects
 * (the gateways, Namespaces, autoscalers this library emits, and the user's):
 * object names, a workload selector its pod template does not carry, port
 * numbers and names, replica counts (CDK8SISTIO012). Istio objects are judged by
 * the CRD checks instead.
 * @internal
 */
export function checkKubernetesObjects(index: MeshIndex, report: Report): void {
  for (const [kind, objects] of index.byKind) {
    for (const o of objects) {
      if (String(o.json.apiVersion ?? '').includes('.istio.io/')) continue;
      const name = o.json.metadata?.name;
      const valid = LABEL_NAMED.has(kind) ? isDns1123Label : isDns1123Subdomain;
      if (typeof name !== 'string' || !valid(name)) {
        report(o, CODE, ERROR, `metadata.name ${JSON.stringify(name)} is not a valid ${kind} name (${LABEL_NAMED.has(kind) ? 'DNS-1123 label' : 'DNS-1123 subdomain'}: lowercase letters, digits, '-'${LABEL_NAMED.has(kind) ? '' : ", '.'"}).`);
      }
      if (POD_TEMPLATE_KINDS.has(kind)) checkWorkload(o, report);
      if (kind === 'Service') checkServicePorts(o, report);
      if (kind === 'HorizontalPodAutoscaler') checkAutoscaler(o, report);
    }
  }
}

function checkWorkload(o: IndexedObject, report: Report): void {
  const spec = o.json.spec ?? {};
  const selector: { [k: string]: string } = spec.selector?.matchLabels ?? {};
  const labels: { [k: string]: string } = spec.template?.metadata?.labels ?? {};
  const missing = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
  if (missing.length) {
    report(o, CODE, ERROR, `spec.selector.matchLabels ${missing.map(([k, v]) => `${k}=${v}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not on the pod template: the API server rejects a selector that does not select its own pods.`);
  }
  if (spec.replicas !== undefined && !(Number.isInteger(spec.replicas) && spec.replicas >= 0)) {
    report(o, CODE, ERROR, `spec.replicas must be a whole number of at least 0, got ${JSON.stringify(spec.replicas)}.`);
  }
  for (const c of [...spec.template?.spec?.containers ?? [], ...spec.template?.spec?.initContainers ?? []]) {
    (c?.ports ?? []).forEach((p: any, i: number) => {
      checkPortNumber(o, report, `container '${c.name}' ports[${i}].containerPort`, p?.containerPort);
      if (p?.name !== undefined) checkPortName(o, report, `container '${c.name}' ports[${i}].name`, p.name);
    });
  }
}

function checkServicePorts(o: IndexedObject, report: Report): void {
  const seen = new Set<string>();
  (o.json.spec?.ports ?? []).forEach((p: any, i: number) => {
    checkPortNumber(o, report, `spec.ports[${i}].port`, p?.port);
    if (typeof p?.targetPort === 'number') checkPortNumber(o, report, `spec.ports[${i}].targetPort`, p.targetPort);
    else if (p?.targetPort !== undefined) checkPortName(o, report, `spec.ports[${i}].targetPort`, p.targetPort);
    if (p?.name !== undefined) {
      if (seen.has(p.name)) report(o, CODE, ERROR, `spec.ports[${i}].name '${p.name}' is used twice; Service port names must be unique.`);
      seen.add(p.name);
      if (typeof p.name !== 'string' || !isDns1123Label(p.name)) {
        report(o, CODE, ERROR, `spec.ports[${i}].name ${JSON.stringify(p.name)} must be a DNS-1123 label.`);
      }
    } else if ((o.json.spec?.ports ?? []).length > 1) {
      report(o, CODE, ERROR, `spec.ports[${i}] has no name; a Service with several ports must name each.`);
    }
  });
}

function checkAutoscaler(o: IndexedObject, report: Report): void {
  const min = o.json.spec?.minReplicas ?? 1;
  const max = o.json.spec?.maxReplicas;
  if (!Number.isInteger(min) || min < 1 || !Number.isInteger(max) || max < min) {
    report(o, CODE, ERROR, `spec.minReplicas/maxReplicas must be whole numbers with 1 <= min <= max, got ${JSON.stringify(min)}/${JSON.stringify(max)}.`);
  }
}

function checkPortNumber(o: IndexedObject, report: Report, where: string, port: unknown): void {
  if (!(Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535)) {
    report(o, CODE, ERROR, `${where} must be a port number from 1 to 65535, got ${JSON.stringify(port)}.`);
  }
}

/** An IANA service name, as the API server requires of container port names and named target ports. */
function checkPortName(o: IndexedObject, report: Report, where: string, name: unknown): void {
  if (typeof name !== 'string' || name.length > 15 || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    report(o, CODE, ERROR, `${where} ${JSON.stringify(name)} must be an IANA service name: at most 15 lowercase letters, digits and single '-', with at least one letter.`);
  }
}
