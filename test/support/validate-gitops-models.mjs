// Validates Argo CD, Flux and Prometheus-operator objects with the @kubernetes-models packages (ESM only,
// so jest calls this through a child process). Reads a JSON array on stdin and
// prints one line per invalid object; exit code 1 when any is invalid.
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const models = {
  'argoproj.io/v1alpha1/Application': Application,
  'helm.toolkit.fluxcd.io/v2/HelmRelease': HelmRelease,
  'source.toolkit.fluxcd.io/v1/HelmRepository': HelmRepository,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
let failed = 0;
for (const obj of JSON.parse(input)) {
  const Model = models[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) {
    console.log(`${obj.kind} ${obj.metadata?.name}: no schema for ${obj.apiVersion}/${obj.kind}`);
    failed++;
    continue;
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    console.log(`${obj.kind} ${obj.metadata?.name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
