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
  readonly annotations: { [key: string]: string };
  readonly matchLabels: { [key: string]: string };
  readonly containerPorts: number[];
}

/**
 * The pod template of a workload. A cdk8s-plus workload (any version) is read through its own
 * getters (pod metadata, selector, containers): it may not render yet (no container added so far),
 * and rendering costs ~8× more. Any other object is read from its JSON (a CronJob's through its
 * job template).
 */
export function podTemplateOf(workload: IConstruct, obj: ApiObject): PodTemplate {
  const plus = workload as { podMetadata?: unknown; matchLabels?: unknown; containers?: unknown };
  if (plus.podMetadata instanceof ApiObjectMetadataDefinition && isStringMap(plus.matchLabels) && Array.isArray(plus.containers)) {
    const metadata = plus.podMetadata.toJson();
    return {
      labels: { ...metadata.labels },
      annotations: { ...metadata.annotations },
      matchLabels: { ...plus.matchLabels },
      containerPorts: plus.containers.flatMap((c: any) => (Array.isArray(c?.ports) ? c.ports : []).map((p: any) => p?.number)).filter(isNumber),
    };
  }
  const json = renderOf(obj);
  const spec = obj.kind === 'CronJob' ? json.spec?.jobTemplate?.spec : json.spec;
  const containers: any[] = spec?.template?.spec?.containers ?? [];
  return {
    labels: { ...spec?.template?.metadata?.labels },
    annotations: { ...spec?.template?.metadata?.annotations },
    matchLabels: { ...spec?.selector?.matchLabels },
    containerPorts: containers.flatMap(c => (c.ports ?? []).map((p: any) => p.containerPort)).filter(isNumber),
  };
}

/**
 * A Service's ports and selector. A cdk8s-plus Service (any version) gives its ports through its
 * getter (it may get them later, with bind(), and does not render before); other objects, and
 * the selector, come from the JSON (render: the selector a synth check reads once the app is complete).
 */
export function servicePortsOf(service: IConstruct, obj: ApiObject): number[] {
  const plus = (service as { ports?: unknown }).ports;
  if (Array.isArray(plus) && plus.every(p => isNumber(p?.port))) return plus.map(p => p.port);
  return (renderOf(obj).spec?.ports ?? []).map((p: any) => p.port).filter(isNumber);
}

/** The labels a Service selects, as it renders (call once the app is complete). */
export function serviceSelectorOf(obj: ApiObject): { [key: string]: string } {
  return { ...renderOf(obj).spec?.selector };
}

/** The object's JSON; a render that fails names the object instead of failing somewhere inside cdk8s. */
function renderOf(obj: ApiObject): any {
  try {
    return obj.toJson();
  } catch (e) {
    throw new Error(`'${obj.node.path}' cannot be read yet: ${(e as Error).message.split('\n')[0]}`);
  }
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}

function isStringMap(v: unknown): v is { [key: string]: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
