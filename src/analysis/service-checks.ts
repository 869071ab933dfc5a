import { FindingSeverity } from './finding';
import { IndexedObject, MeshIndex, Report } from './mesh-index';

const { WARNING } = FindingSeverity;
const PROTOCOL_PREFIXES = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp'];

/**
 * IST0118 (Service port not named `<protocol>[-suffix]`), IST0134 (TCP
 * ServiceEntry without addresses), IST0128/IST0129 (DestinationRule TLS without
 * caCertificates), IST0123 (namespace with several injection labels), IST0177 (ServiceEntries
 * giving one host and port different protocols).
 * @internal
 */
export function checkServicesAndNamespaces(index: MeshIndex, report: Report): void {
  checkServiceEntryProtocols(index, report);
  for (const svc of index.of('Service')) {
    if (svc.json.spec?.type === 'ExternalName') continue;
    for (const port of svc.json.spec?.ports ?? []) {
      if (port.appProtocol) continue;
      const prefix = String(port.name ?? '').split('-')[0].toLowerCase();
      if (!PROTOCOL_PREFIXES.includes(prefix)) {
        report(svc, 'IST0118', WARNING, `port ${port.port} is named '${port.name ?? ''}', which does not start with a protocol, so Istio falls back to sniffing. Name it '<protocol>[-suffix]' (e.g. 'http', 'grpc-api') or set appProtocol.`);
      }
    }
  }
  for (const se of index.of('ServiceEntry')) {
    const spec = se.json.spec ?? {};
    const tcp = (spec.ports ?? []).some((p: any) => !p.protocol || p.protocol === 'TCP');
    if (tcp && !(spec.addresses ?? []).length && spec.resolution !== 'NONE') {
      report(se, 'IST0134', WARNING, 'has a TCP (or protocol-less) port but no addresses; without auto-allocation every host shares one listener. Add addresses or name the protocol.');
    }
  }
  for (const dr of index.of('DestinationRule')) {
    const policy = dr.json.spec?.trafficPolicy ?? {};
    const unverified = (tls: any) => tls && (tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && !tls.caCertificates && !tls.credentialName;
    if (unverified(policy.tls)) {
      report(dr, 'IST0128', WARNING, `originates ${policy.tls.mode} TLS to '${dr.json.spec.host}' without caCertificates, so the server certificate is checked against the proxy's default roots only. Set caCertificates (or credentialName).`);
    }
    for (const p of policy.portLevelSettings ?? []) {
      if (unverified(p.tls)) {
        report(dr, 'IST0129', WARNING, `originates ${p.tls.mode} TLS to '${dr.json.spec.host}' port ${p.port?.number} without caCertificates. Set caCertificates (or credentialName).`);
      }
    }
  }
  for (const ns of index.of('Namespace')) {
    const labels = ns.json.metadata?.labels ?? {};
    const injection = ['istio-injection', 'istio.io/rev'].filter(l => labels[l] !== undefined);
    if (injection.length > 1) {
      report(ns, 'IST0123', WARNING, `has both ${injection.map(l => `${l}=${labels[l]}`).join(' and ')}; which one injects is undefined. Keep one label.`);
    }
  }
}

/**
 * IST0177, as istioctl decides it: ServiceEntries visible in one namespace (exportTo, `*` seen
 * everywhere) that give one host and port different protocols; which one a proxy uses is undefined.
 */
function checkServiceEntryProtocols(index: MeshIndex, report: Report): void {
  const byKey = new Map<string, Array<{ protocol: string; se: IndexedObject }>>();
  for (const se of index.of('ServiceEntry')) {
    const spec = se.json.spec ?? {};
    const exportTo: string[] = spec.exportTo ?? [];
    const scopes = !exportTo.length || exportTo.includes('*') ? ['*'] : exportTo.map(e => e === '.' ? se.namespace : e);
    for (const scope of new Set(scopes)) {
      for (const host of spec.hosts ?? []) {
        for (const port of spec.ports ?? []) {
          const key = JSON.stringify([scope, host, port?.number]);
          byKey.set(key, [...byKey.get(key) ?? [], { protocol: String(port?.protocol ?? '').toUpperCase(), se }]);
        }
      }
    }
  }
  const reported = new Set<IndexedObject>();
  for (const [key, own] of byKey) {
    const [scope, host, port] = JSON.parse(key);
    const entries = scope === '*' ? own : [...own, ...byKey.get(JSON.stringify(['*', host, port])) ?? []];
    const protocols = [...new Set(entries.map(e => e.protocol))].sort();
    if (protocols.length < 2) continue;
    const names = [...new Set(entries.map(e => `${e.se.namespace}/${e.se.json.metadata?.name}`))].sort();
    for (const { se } of entries) {
      if (reported.has(se)) continue;
      reported.add(se);
      report(se, 'IST0177', WARNING, `ServiceEntries ${names.join(', ')} define host '${host}' port ${port} with different protocols (${protocols.join(', ')}); `
        + 'which one a proxy uses is undefined. Give the port one protocol.');
    }
  }
}
