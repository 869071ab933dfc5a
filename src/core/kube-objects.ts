import { ApiObject, ApiObjectMetadataDefinition, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Reading the Kubernetes objects users pass in, whatever built them: a
 * cdk8s-plus resource of any major version (28, 33, …), an imported `Kube*`
 * class or a plain `ApiObject`. Everything is read from the object's JSON, so
 * no one cdk8s-plus package's classes appear in the API.
 */

/** Kinds whose pods come from a pod template at spec.template. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** The ApiObject behind `construct`; a clear error (naming `where`) when it is not one of `kinds`. */
export function kubeObjectOf(construct: IConstruct, kinds: string[], where: string): ApiObject {
  let obj: ApiObject;
  try {
    obj = ApiObject.of(construct);
  } catch {
    throw new Error(`${where}: '${construct.node.path}' is not a Kubernetes object; pass a cdk8s-plus resource (any version), an imported Kube* object or an ApiObject.`);
  }
  if (!kinds.includes(obj.kind)) {
    throw new Error(`${where}: '${construct.node.path}' is a ${obj.kind}, not a ${kinds.join(' or ')}.`);
  }
  return obj;
}

/** The namespace an object is synthesized into (its own, else its chart's, else 'default'). */
export function namespaceOf(obj: ApiObject): string {
  return obj.metadata.namespace ?? Chart.of(obj).namespace ?? 'default';
}

/** What a workload's pods carry, as the object renders so far. */
export interface PodTemplate {
  readonly labels: { [key: string]: string };
  readonly matchLabels: { [key: string]: string };
  readonly containerPorts: number[];
}

/** The pod template of a workload object (a CronJob's through its job template). */
export function podTemplateOf(obj: ApiObject): PodTemplate {
  const json = obj.toJson();
  const spec = obj.kind === 'CronJob' ? json.spec?.jobTemplate?.spec : json.spec;
  const containers: any[] = spec?.template?.spec?.containers ?? [];
  return {
    labels: { ...spec?.template?.metadata?.labels },
    matchLabels: { ...spec?.selector?.matchLabels },
    containerPorts: containers.flatMap(c => (c.ports ?? []).map((p: any) => p.containerPort)).filter((p: unknown) => typeof p === 'number'),
  };
}

/** A Service object's ports and selector, as it renders so far. */
export function serviceSpecOf(obj: ApiObject): { ports: number[]; selector: { [key: string]: string } } {
  const spec = obj.toJson().spec ?? {};
  return { ports: (spec.ports ?? []).map((p: any) => p.port), selector: { ...spec.selector } };
}

/**
 * A workload's pod labels. cdk8s-plus workloads (any version) keep them in cdk8s' own
 * metadata class, read without rendering the whole object (which costs ~8× more).
 */
export function podLabelsOf(workload: IConstruct, obj: ApiObject): { [key: string]: string } {
  const podMetadata = (workload as { podMetadata?: unknown }).podMetadata;
  if (podMetadata instanceof ApiObjectMetadataDefinition) return { ...podMetadata.toJson().labels };
  return podTemplateOf(obj).labels;
}
