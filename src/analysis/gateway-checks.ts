import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report } from './mesh-index';
import { IstioVersion } from '../core/istio-version';

const { ERROR, WARNING } = FindingSeverity;
const TLS_VERSIONS = ['TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'];

/**
 * IST0101 (Gateway selector matches no pod), IST0145 (two Gateways on the same
 * workload and port with overlapping hosts), IST0138 (one certificate on several Gateways),
 * CDK8SISTIO013 (a server's minimum TLS version above its maximum: Istio accepts it,
 * and no client can complete a handshake), IST0176 (a Gateway API CRD of the app older than
 * Istio reads: its resources are ignored).
 * @internal
 */
export function checkGateways(index: MeshIndex, report: Report, istioRelease: string): void {
  checkGatewayApiCrdVersions(index, report, istioRelease);
  const byWorkloadPortHost = new Map<string, IndexedObject>();
  const byCredential = new Map<string, IndexedObject[]>();
  for (const gw of index.of('Gateway')) {
    if (!gw.json.apiVersion?.startsWith('networking.istio.io/')) continue;
    const selector = gw.json.spec?.selector ?? {};
    const pods = index.select(selector);
    if (index.hasWorkloads() && pods.length === 0) {
      report(gw, 'IST0101', ERROR, `selector ${JSON.stringify(selector)} matches no gateway pod in this app. Select the labels of an IngressGateway/EgressGateway (pass the gateway construct to MeshIngress).`);
    }
    const workload = JSON.stringify(Object.entries(selector).sort());
    for (const server of gw.json.spec?.servers ?? []) {
      for (const host of server.hosts ?? []) {
        const key = `${workload}|${server.port?.number}|${host.split('/').pop()}`;
        const other = byWorkloadPortHost.get(key);
        if (other && other !== gw) {
          report(gw, 'IST0145', ERROR, `port ${server.port?.number} host '${host}' is also served by Gateway ${other.namespace}/${other.json.metadata.name} on the same workload; only one wins. Keep one server per host and port.`);
        }
        byWorkloadPortHost.set(key, gw);
      }
      const min = TLS_VERSIONS.indexOf(server.tls?.minProtocolVersion);
      const max = TLS_VERSIONS.indexOf(server.tls?.maxProtocolVersion);
      if (min >= 0 && max >= 0 && min > max) {
        report(gw, 'CDK8SISTIO013', ERROR, `port ${server.port?.number}: tls.minProtocolVersion ${server.tls.minProtocolVersion} is above tls.maxProtocolVersion ${server.tls.maxProtocolVersion}, so no TLS handshake can succeed. Lower the minimum or raise the maximum.`);
      }
      const credential = server.tls?.credentialName;
      if (credential) {
        const list = byCredential.get(credential) ?? [];
        if (!list.includes(gw)) list.push(gw);
        byCredential.set(credential, list);
      }
    }
  }
  for (const [credential, gateways] of byCredential) {
    if (gateways.length < 2) continue;
    for (const gw of gateways) {
      report(gw, 'IST0138', WARNING, `uses certificate '${credential}', as do ${gateways.length - 1} other Gateway(s); browsers reuse HTTP/2 connections across them and get 404s. Use one Gateway per certificate.`);
    }
  }
}

/**
 * The oldest Gateway API release of each CRD that each Istio minor release reads
 * (pkg/config/schema/gatewayapi/minimumversions.go of that release).
 */
const MINIMUM_CRD_VERSIONS: { [istioMinor: string]: { [crd: string]: number[] } } = {
  '1.30': {
    'grpcroutes.gateway.networking.k8s.io': [1, 1, 0],
    'backendtlspolicies.gateway.networking.k8s.io': [1, 4, 0],
    'tlsroutes.gateway.networking.k8s.io': [1, 5, 0],
  },
  '1.31': {
    'grpcroutes.gateway.networking.k8s.io': [1, 1, 0],
    'backendtlspolicies.gateway.networking.k8s.io': [1, 4, 0],
    'tlsroutes.gateway.networking.k8s.io': [1, 5, 0],
    'tcproutes.gateway.networking.k8s.io': [1, 6, 0],
  },
};

/** IST0176: a CRD object of the app whose bundle version is below the targeted Istio's minimum for it. */
function checkGatewayApiCrdVersions(index: MeshIndex, report: Report, istioRelease: string): void {
  const minimums = MINIMUM_CRD_VERSIONS[IstioVersion._minor(istioRelease)] ?? {};
  for (const crd of index.of('CustomResourceDefinition')) {
    const minimum = minimums[crd.json.metadata?.name];
    const version = /^v?(\d+)\.(\d+)\.(\d+)/.exec(crd.json.metadata?.annotations?.['gateway.networking.k8s.io/bundle-version'] ?? '');
    if (!minimum || !version) continue;
    const v = version.slice(1, 4).map(Number);
    const below = v[0] !== minimum[0] ? v[0] < minimum[0] : v[1] !== minimum[1] ? v[1] < minimum[1] : v[2] < minimum[2];
    if (below) {
      report(crd, 'IST0176', WARNING, `is at Gateway API ${version[0]}, but Istio ${istioRelease} reads ${crd.json.metadata.name} from ${minimum.join('.')} on; `
        + 'resources of this kind will not be processed. Install the CRDs of a newer Gateway API release.');
    }
  }
}
