import * as kplus from 'cdk8s-plus-28';
import { ControlPlaneModel } from './control-plane-model';
import { NamespaceEnrolmentOptions, WorkloadEnrolmentOptions } from './proxy-enrolment';
import { renderResources } from './rendering/container-resources';
import { fail, show } from '../core/errors';
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
export function enrolNamespace(cp: ControlPlaneModel, namespace: kplus.Namespace, options: NamespaceEnrolmentOptions): void {
  const [key, value] = enrolmentLabel(cp, options, false);
  for (const existing of ENROLMENT_LABELS) {
    const current = namespace.metadata.getLabel(existing);
    if (current !== undefined) {
      fail(cp, `namespace ${show(namespace.name)} already has label ${existing}=${current}; adding ${key}=${value} would give it two injection labels, `
        + 'and Istio would silently pick one. Enrol each namespace once (remove the other label or enrolment).');
    }
  }
  namespace.metadata.addLabel(key, value);
}

/** @internal */
export function enrolWorkload(cp: ControlPlaneModel, workload: kplus.Workload, options: WorkloadEnrolmentOptions): void {
  const [key, value] = enrolmentLabel(cp, options, true);
  const proxy = options.proxy;
  if (cp.ambient && proxy) {
    fail(cp, `proxy settings for workload ${show(workload.name)} only apply to sidecars, but this control plane is AMBIENT (no sidecar to configure); remove proxy.`);
  }
  const pod = workload.podMetadata;
  for (const existing of [...ENROLMENT_LABELS, 'sidecar.istio.io/inject']) {
    if (pod.getLabel(existing) !== undefined) fail(cp, `workload ${show(workload.name)} is already enrolled (pod label ${existing}=${pod.getLabel(existing)}); enrol it once.`);
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
