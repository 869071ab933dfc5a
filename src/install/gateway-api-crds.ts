import * as fs from 'fs';
import { ApiObject, Duration } from 'cdk8s';
import { ArgoCdDeliveryOptions, FluxDeliveryOptions } from './control-plane-delivery';
import { ControlPlaneModel } from './control-plane-model';
import { istioDuration } from '../core/duration';
import { TrafficApi } from '../core/traffic-api';

/** Where the Gateway API project publishes its CRDs (config/crd/<channel> at tag v<version>). @internal */
export const GATEWAY_API_REPOSITORY = 'https://github.com/kubernetes-sigs/gateway-api';

/**
 * An Argo CD Application for the Gateway API CRDs the app targets, in a wave before Istio's
 * base chart (-40), applied server-side (the CRDs are large).
 * @internal
 */
export function gatewayApiCrdsApplication(cp: ControlPlaneModel, api: TrafficApi, options: ArgoCdDeliveryOptions): void {
  new ApiObject(cp, 'Application-gateway-api-crds', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'gateway-api-crds',
      namespace: options.namespace ?? 'argocd',
      annotations: { 'argocd.argoproj.io/sync-wave': '-40' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: options.project ?? 'default',
      source: { repoURL: GATEWAY_API_REPOSITORY, path: `config/crd/${api.channel}`, targetRevision: `v${api.version}` },
      destination: { server: options.destinationServer ?? 'https://kubernetes.default.svc', namespace: cp.namespace },
      syncPolicy: {
        // CRDs are not pruned: deleting one deletes every object of its kind.
        automated: options.automatedSync === false ? undefined : { prune: false, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
      },
    },
  });
}

/**
 * A Flux GitRepository at the release tag and a Kustomization applying the channel's CRDs.
 * Flux orders Kustomizations by dependsOn: the app's own Kustomization should depend on
 * `gateway-api-crds` (a HelmRelease cannot).
 * @internal
 */
export function gatewayApiCrdsKustomization(cp: ControlPlaneModel, api: TrafficApi, options: FluxDeliveryOptions): void {
  const namespace = options.namespace ?? 'flux-system';
  const interval = istioDuration(cp, 'delivery.interval', options.interval ?? Duration.minutes(10));
  new ApiObject(cp, 'GitRepository-gateway-api', {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'gateway-api', namespace },
    spec: { url: GATEWAY_API_REPOSITORY, ref: { tag: `v${api.version}` }, interval },
  });
  new ApiObject(cp, 'Kustomization-gateway-api-crds', {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'gateway-api-crds', namespace },
    spec: { interval, sourceRef: { kind: 'GitRepository', name: 'gateway-api' }, path: `./config/crd/${api.channel}`, prune: false },
  });
}

/** The CRDs themselves (from the package's copy, descriptions left out), for the IstioOperator and rendered deliveries. @internal */
export function gatewayApiCrdObjects(cp: ControlPlaneModel, api: TrafficApi): void {
  for (const line of fs.readFileSync(api._crdFile, 'utf8').split('\n').filter(Boolean)) {
    // status is the API server's to write.
    const { status: _, ...crd } = JSON.parse(line);
    new ApiObject(cp, `CustomResourceDefinition-${crd.metadata.name}`, crd);
  }
}
