import { ApiObject, ApiObjectMetadataDefinition, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ControlPlaneModel } from './control-plane-model';
import { NamespaceEnrolmentOptions, WorkloadEnrolmentOptions } from './proxy-enrolment';
import { renderResources } from './rendering/container-resources';
import { fail, show } from '../core/errors';
import { kubeObjectOf, podTemplateOf, WORKLOAD_KINDS } from '../core/kube-objects';
import { checkPort } from '../core/percent';

// The labels that decide how a namespace joins the mesh; a namespace carries at most one.
const ENROLMENT_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'];

/** The one label that enrols a namespace or pod with this control plane. */
function enrolmentLabel(cp: ControlPlaneModel, options: NamespaceEnrolmentOptions, forPod: boolean): [string, string] {
  if (cp.ambient) {
    if (options.revisionTag) fail(cp, `revisionTag ${show(options.revisionTag.tag)} selects a sidecar injector, but this control plane is AMBIENT; drop revisionTag.`);
    return ['istio.io/dataplane-mode', 'ambient'];
  }
  const rev = options.revisionTag?.tag ?? cp.revision;
  if (rev) return ['istio.io/rev', rev];
  return forPod ? ['sidecar.istio.io/inject', 'true'] : ['istio-injection', 'enabled'];
}

/** @internal */
export function enrolNamespace(cp: ControlPlaneModel, namespace: IConstruct, options: NamespaceEnrolmentOptions): void {
  const [key, value] = enrolmentLabel(cp, options, false);
  const ns = kubeObjectOf(namespace, ['Namespace'], 'IstioControlPlane.enrolNamespace()');
  for (const existing of ENROLMENT_LABELS) {
    const current = ns.metadata.getLabel(existing);
    if (current !== undefined) {
      fail(cp, `namespace ${show(ns.name)} already has label ${existing}=${current}; adding ${key}=${value} would give it two injection labels, `
        + 'and Istio would silently pick one. Enrol each namespace once (remove the other label or enrolment).');
    }
  }
  ns.metadata.addLabel(key, value);
}

/** @internal */
export function enrolWorkload(cp: ControlPlaneModel, workload: IConstruct, options: WorkloadEnrolmentOptions): void {
  const [key, value] = enrolmentLabel(cp, options, true);
  const obj = kubeObjectOf(workload, WORKLOAD_KINDS, 'IstioControlPlane.enrolWorkload()');
  const proxy = options.proxy;
  if (cp.ambient && proxy) {
    fail(cp, `proxy settings for workload ${show(obj.name)} only apply to sidecars, but this control plane is AMBIENT (no sidecar to configure); remove proxy.`);
  }
  const pod = podMetadataOf(cp, workload, obj);
  const labels = podTemplateOf(workload, obj).labels;
  for (const existing of [...ENROLMENT_LABELS, 'sidecar.istio.io/inject']) {
    if (labels[existing] !== undefined) fail(cp, `workload ${show(obj.name)} is already enrolled (pod label ${existing}=${labels[existing]}); enrol it once.`);
  }
  pod.addLabel(key, value);
  if (!proxy) return;
  const resources = renderResources(cp, 'proxy.resources', proxy.resources);
  const annotate = (name: string, v: string | undefined) => { if (v !== undefined) pod.addAnnotation(name, v); };
  annotate('sidecar.istio.io/proxyCPU', resources?.requests?.cpu);
  annotate('sidecar.istio.io/proxyMemory', resources?.requests?.memory);
  annotate('sidecar.istio.io/proxyCPULimit', resources?.limits?.cpu);
  annotate('sidecar.istio.io/proxyMemoryLimit', resources?.limits?.memory);
  if (proxy.holdApplicationUntilProxyStarts !== undefined) {
    annotate('proxy.istio.io/config', JSON.stringify({ holdApplicationUntilProxyStarts: proxy.holdApplicationUntilProxyStarts }));
  }
  const ports = (prop: string, list: number[] | undefined) => list?.map((p, i) => checkPort(cp, `proxy.${prop}[${i}]`, p)).join(',');
  annotate('traffic.sidecar.istio.io/excludeInboundPorts', ports('excludeInboundPorts', proxy.excludeInboundPorts));
  annotate('traffic.sidecar.istio.io/excludeOutboundPorts', ports('excludeOutboundPorts', proxy.excludeOutboundPorts));
}

/**
 * Where pod labels and annotations are added: a cdk8s-plus workload's podMetadata (any
 * version: it is cdk8s' own metadata class), else JSON patches on the object's pod template,
 * creating its metadata, labels and annotations objects where the object has none.
 */
interface PodMetadataWriter {
  addLabel(key: string, value: string): void;
  addAnnotation(key: string, value: string): void;
}

function podMetadataOf(cp: ControlPlaneModel, workload: IConstruct, obj: ApiObject): PodMetadataWriter {
  const podMetadata = (workload as { podMetadata?: unknown }).podMetadata;
  if (podMetadata instanceof ApiObjectMetadataDefinition) return podMetadata;
  const cronJob = obj.kind === 'CronJob';
  const json = obj.toJson();
  const template = (cronJob ? json.spec?.jobTemplate?.spec : json.spec)?.template;
  if (typeof template !== 'object' || template === null) {
    fail(cp, `workload '${obj.node.path}' has no pod template (${cronJob ? 'spec.jobTemplate.spec.template' : 'spec.template'}), so there is no pod to enrol.`);
  }
  const path = cronJob ? '/spec/jobTemplate/spec/template/metadata' : '/spec/template/metadata';
  const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
  const present = new Set(Object.keys(template.metadata ?? {}));
  const ensure = (field: string) => {
    if (!present.has('.')) {
      if (template.metadata === undefined) obj.addJsonPatch(JsonPatch.add(path, {}));
      present.add('.');
    }
    if (!present.has(field)) {
      obj.addJsonPatch(JsonPatch.add(`${path}/${field}`, {}));
      present.add(field);
    }
  };
  return {
    addLabel: (k, v) => { ensure('labels'); obj.addJsonPatch(JsonPatch.add(`${path}/labels/${escape(k)}`, v)); },
    addAnnotation: (k, v) => { ensure('annotations'); obj.addJsonPatch(JsonPatch.add(`${path}/annotations/${escape(k)}`, v)); },
  };
}
