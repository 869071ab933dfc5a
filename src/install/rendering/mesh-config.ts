import { IConstruct } from 'constructs';
import { fail, show } from '../../core/errors';
import { IstioVersion } from '../../core/istio-version';
import { checkPercent } from '../../core/percent';
import { renderConnectionPool, renderOutlierDetection } from '../../resources/rendering/traffic-policy';
import { MeshConfigOptions } from '../mesh-config';

/**
 * Renders the meshConfig part of the values; tracing sampling goes to istiod (`pilot.traceSampling`).
 * `release` is the control plane's own Istio version (fields newer than it are refused). @internal
 */
export function renderMeshConfig(scope: IConstruct, release: string, options: MeshConfigOptions = {}): any {
  const providers = (options.extensionProviders ?? []).map((p, i) => p._render(scope, `meshConfig.extensionProviders[${i}]`));
  const names = new Set<string>();
  for (const p of providers) {
    if (names.has(p.name)) fail(scope, `meshConfig.extensionProviders has two providers named ${show(p.name)}; names must be unique.`);
    names.add(p.name);
  }
  for (const name of options.defaultTracingProviders ?? []) {
    if (!names.has(name)) fail(scope, `meshConfig.defaultTracingProviders names ${show(name)}, which is not in meshConfig.extensionProviders; add the provider or fix the name.`);
  }
  if (options.accessLogFormat !== undefined && options.accessLogFile === undefined) {
    fail(scope, 'meshConfig.accessLogFormat is set but accessLogFile is not, so no access log is written; set accessLogFile (e.g. \'/dev/stdout\').');
  }
  if (options.accessLogEncoding !== undefined && options.accessLogFile === undefined) {
    fail(scope, 'meshConfig.accessLogEncoding is set but accessLogFile is not, so no access log is written; set accessLogFile (e.g. \'/dev/stdout\').');
  }
  if (options.tracingSamplingPercent !== undefined) checkPercent(scope, 'meshConfig.tracingSamplingPercent', options.tracingSamplingPercent);
  const baseline = options.defaultTrafficPolicy;
  if (baseline && !IstioVersion._atLeast(release, '1.31')) {
    fail(scope, `meshConfig.defaultTrafficPolicy needs Istio 1.31 or later, and this control plane runs ${release}, whose istiod ignores it. `
      + 'Set version to a 1.31 release, or set connectionPool/outlierDetection on DestinationRules.');
  }
  const mesh: any = {
    enableAutoMtls: options.enableAutoMtls,
    outboundTrafficPolicy: options.outboundTrafficPolicy && { mode: options.outboundTrafficPolicy },
    accessLogFile: options.accessLogFile,
    accessLogEncoding: options.accessLogEncoding,
    accessLogFormat: options.accessLogFormat,
    extensionProviders: providers.length ? providers : undefined,
    defaultProviders: options.defaultTracingProviders?.length ? { tracing: options.defaultTracingProviders } : undefined,
    defaultTrafficPolicy: baseline && {
      connectionPool: renderConnectionPool(scope, 'meshConfig.defaultTrafficPolicy.connectionPool', baseline.connectionPool),
      outlierDetection: renderOutlierDetection(scope, 'meshConfig.defaultTrafficPolicy.outlierDetection', baseline.outlierDetection),
    },
  };
  return mesh;
}
