import { ApiObject, Duration, Lazy } from 'cdk8s';
import { FluxDeliveryOptions, ISTIO_HELM_REPOSITORY } from './control-plane-delivery';
import { ChartRelease, ControlPlaneModel } from './control-plane-model';
import { istioDuration } from '../core/duration';

/** A Flux HelmRepository for the Istio charts and one HelmRelease per chart, chained by dependsOn. @internal */
export function emitFluxHelmReleases(cp: ControlPlaneModel, releases: ChartRelease[], options: FluxDeliveryOptions): void {
  const namespace = options.namespace ?? 'flux-system';
  const interval = istioDuration(cp, 'delivery.interval', options.interval ?? Duration.minutes(10));
  const repo = cp.node.tryFindChild('HelmRepository') as ApiObject | undefined ?? new ApiObject(cp, 'HelmRepository', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name: 'istio', namespace },
    spec: { url: options.repoUrl ?? ISTIO_HELM_REPOSITORY, interval },
  });
  for (const release of releases) {
    new ApiObject(cp, `HelmRelease-${release.releaseName}`, {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: release.releaseName, namespace },
      spec: {
        interval,
        releaseName: release.releaseName,
        targetNamespace: cp.namespace,
        install: { createNamespace: true },
        chart: { spec: { chart: release.chart, version: cp.version, sourceRef: { kind: 'HelmRepository', name: repo.name } } },
        dependsOn: release.dependsOn ? [{ name: release.dependsOn }] : undefined,
        values: Lazy.any({ produce: release.values }),
      },
    });
  }
}
