import { ApiObject, Duration, Lazy } from 'cdk8s';
import { FluxDeliveryOptions, ISTIO_HELM_REPOSITORY } from './control-plane-delivery';
import { ChartRelease, ChartTarget } from './control-plane-model';
import { istioDuration } from '../core/duration';

/** A Flux HelmRepository per chart repository and one HelmRelease per chart, chained by dependsOn. @internal */
export function emitFluxHelmReleases(target: ChartTarget, releases: ChartRelease[], options: FluxDeliveryOptions): void {
  const scope = target.scope;
  const namespace = options.namespace ?? 'flux-system';
  const interval = istioDuration(scope, 'delivery.interval', options.interval ?? Duration.minutes(10));
  for (const release of releases) {
    const repoName = release.repositoryName ?? 'istio';
    const repo = scope.node.tryFindChild(`HelmRepository-${repoName}`) as ApiObject | undefined ?? new ApiObject(scope, `HelmRepository-${repoName}`, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: repoName, namespace },
      spec: { url: release.repoUrl ?? options.repoUrl ?? ISTIO_HELM_REPOSITORY, interval },
    });
    new ApiObject(scope, `HelmRelease-${release.releaseName}`, {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: release.releaseName, namespace },
      spec: {
        interval,
        releaseName: release.releaseName,
        targetNamespace: target.namespace,
        install: { createNamespace: true },
        chart: { spec: { chart: release.chart, version: release.version ?? target.version, sourceRef: { kind: 'HelmRepository', name: repo.name } } },
        dependsOn: release.dependsOn ? [{ name: release.dependsOn }] : undefined,
        values: Lazy.any({ produce: release.values }),
      },
    });
  }
}
