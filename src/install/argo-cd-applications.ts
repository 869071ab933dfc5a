import { ApiObject, Lazy } from 'cdk8s';
import { ArgoCdDeliveryOptions, ISTIO_HELM_REPOSITORY } from './control-plane-delivery';
import { ChartRelease, ChartTarget } from './control-plane-model';

/**
 * One Argo CD Application per chart, ordered by sync waves.
 * Waves between Applications need Argo CD's Application health check enabled.
 * @internal
 */
export function emitArgoCdApplications(target: ChartTarget, releases: ChartRelease[], options: ArgoCdDeliveryOptions): void {
  for (const release of releases) {
    const syncOptions = ['CreateNamespace=true'];
    if (release.ignoreDifferences) syncOptions.push('RespectIgnoreDifferences=true');
    if (release.serverSideApply) syncOptions.push('ServerSideApply=true');
    new ApiObject(target.scope, `Application-${release.releaseName}`, {
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
          repoURL: release.repoUrl ?? options.repoUrl ?? ISTIO_HELM_REPOSITORY,
          chart: release.chart,
          targetRevision: release.version ?? target.version,
          helm: { releaseName: release.releaseName, valuesObject: Lazy.any({ produce: release.values }) },
        },
        destination: { server: options.destinationServer ?? 'https://kubernetes.default.svc', namespace: target.namespace },
        syncPolicy: {
          automated: options.automatedSync === false ? undefined : { prune: true, selfHeal: true },
          syncOptions,
        },
        ignoreDifferences: release.ignoreDifferences,
      },
    });
  }
}
