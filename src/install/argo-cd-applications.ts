import { ApiObject, Lazy } from 'cdk8s';
import { ArgoCdDeliveryOptions, ISTIO_HELM_REPOSITORY } from './control-plane-delivery';
import { ChartRelease, ControlPlaneModel } from './control-plane-model';

// istiod patches caBundle into its webhooks and flips the validator's failurePolicy
// from Ignore to Fail once ready; Argo CD renders as a fresh install, so both drift.
const WEBHOOK_DRIFT = [
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
  {
    group: 'admissionregistration.k8s.io',
    kind: 'ValidatingWebhookConfiguration',
    jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle', '.webhooks[]?.failurePolicy'],
  },
];

/**
 * One Argo CD Application per chart, ordered by sync waves (base → istiod → cni/ztunnel).
 * Waves between Applications need Argo CD's Application health check enabled.
 * @internal
 */
export function emitArgoCdApplications(cp: ControlPlaneModel, releases: ChartRelease[], options: ArgoCdDeliveryOptions): void {
  for (const release of releases) {
    const syncOptions = ['CreateNamespace=true', 'RespectIgnoreDifferences=true'];
    // The CRDs are large; server-side apply avoids the last-applied annotation size limit.
    if (release.chart === 'base') syncOptions.push('ServerSideApply=true');
    new ApiObject(cp, `Application-${release.releaseName}`, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: release.releaseName,
        namespace: options.namespace ?? 'argocd',
        annotations: { 'argocd.argoproj.io/sync-wave': String(release.wave) },
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: options.project ?? 'default',
        source: {
          repoURL: options.repoUrl ?? ISTIO_HELM_REPOSITORY,
          chart: release.chart,
          targetRevision: cp.version,
          helm: { releaseName: release.releaseName, valuesObject: Lazy.any({ produce: release.values }) },
        },
        destination: { server: options.destinationServer ?? 'https://kubernetes.default.svc', namespace: cp.namespace },
        syncPolicy: {
          automated: options.automatedSync === false ? undefined : { prune: true, selfHeal: true },
          syncOptions,
        },
        ignoreDifferences: release.chart === 'base' || release.chart === 'istiod' ? WEBHOOK_DRIFT : undefined,
      },
    });
  }
}
