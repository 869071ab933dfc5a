import { IConstruct } from 'constructs';
import { istioDuration } from '../../core/duration';
import { fail } from '../../core/errors';
import { IstioVersion } from '../../core/istio-version';
import { checkPercent, checkPort } from '../../core/percent';
import { ClientTlsMode, ClientTlsSettings } from '../client-tls';
import { ConnectionPoolSettings } from '../connection-pool';
import { LoadBalancerSettings } from '../load-balancer';
import { OutlierDetection } from '../outlier-detection';
import { TrafficPolicy } from '../traffic-policy';

/*
 * Renders traffic policies into Istio's JSON, checking what the API reference requires.
 * Internal: not exported from the package.
 */

function nonNegative(scope: IConstruct, prop: string, v: number | undefined): number | undefined {
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) fail(scope, `${prop} must be a non-negative integer, got ${v}.`);
  return v;
}

/** @internal */
export function renderLoadBalancer(scope: IConstruct, prop: string, lb: LoadBalancerSettings | undefined): any {
  if (!lb) return undefined;
  if (lb.simple && lb.consistentHash) fail(scope, `${prop} sets both simple and consistentHash; choose one.`);
  const loc = lb.localityLbSetting;
  const zoneAware = lb.zoneAwareLbSetting;
  if (loc && zoneAware) fail(scope, `${prop} sets both localityLbSetting and zoneAwareLbSetting; Istio allows only one. Keep zoneAwareLbSetting (Istio 1.31) or localityLbSetting.`);
  if (zoneAware) IstioVersion._require(scope, '1.31', `${prop}.zoneAwareLbSetting`, zoneAware);
  return {
    simple: lb.simple,
    consistentHash: lb.consistentHash?._render(scope, `${prop}.consistentHash`),
    localityLbSetting: loc && {
      enabled: loc.enabled,
      distribute: loc.distribute?.map(d => ({ from: d.from, to: d.to })),
      failover: loc.failover?.map(f => ({ from: f.from, to: f.to })),
      failoverPriority: loc.failoverPriority,
    },
    zoneAwareLbSetting: zoneAware && {
      enabled: zoneAware.enabled,
      failover: zoneAware.failover?.map(f => ({ from: f.from, to: f.to })),
      failoverPriority: zoneAware.failoverPriority,
    },
    warmup: lb.warmup && { duration: istioDuration(scope, `${prop}.warmup`, lb.warmup) },
  };
}

/** @internal */
export function renderConnectionPool(scope: IConstruct, prop: string, cp: ConnectionPoolSettings | undefined): any {
  if (!cp) return undefined;
  const t = cp.tcp;
  const h = cp.http;
  return {
    tcp: t && {
      maxConnections: nonNegative(scope, `${prop}.tcp.maxConnections`, t.maxConnections),
      connectTimeout: istioDuration(scope, `${prop}.tcp.connectTimeout`, t.connectTimeout),
      tcpKeepalive: t.tcpKeepalive && {
        probes: t.tcpKeepalive.probes,
        time: istioDuration(scope, `${prop}.tcp.tcpKeepalive.time`, t.tcpKeepalive.time),
        interval: istioDuration(scope, `${prop}.tcp.tcpKeepalive.interval`, t.tcpKeepalive.interval),
      },
      maxConnectionDuration: istioDuration(scope, `${prop}.tcp.maxConnectionDuration`, t.maxConnectionDuration),
      idleTimeout: istioDuration(scope, `${prop}.tcp.idleTimeout`, t.idleTimeout),
    },
    http: h && {
      http1MaxPendingRequests: nonNegative(scope, `${prop}.http.http1MaxPendingRequests`, h.http1MaxPendingRequests),
      http2MaxRequests: nonNegative(scope, `${prop}.http.http2MaxRequests`, h.http2MaxRequests),
      maxRequestsPerConnection: nonNegative(scope, `${prop}.http.maxRequestsPerConnection`, h.maxRequestsPerConnection),
      maxRetries: nonNegative(scope, `${prop}.http.maxRetries`, h.maxRetries),
      idleTimeout: istioDuration(scope, `${prop}.http.idleTimeout`, h.idleTimeout),
      h2UpgradePolicy: h.h2UpgradePolicy,
      useClientProtocol: h.useClientProtocol,
      maxConcurrentStreams: nonNegative(scope, `${prop}.http.maxConcurrentStreams`, h.maxConcurrentStreams),
    },
  };
}

/** @internal */
export function renderOutlierDetection(scope: IConstruct, prop: string, od: OutlierDetection | undefined): any {
  if (!od) return undefined;
  if (od.consecutiveLocalOriginFailures !== undefined && !od.splitExternalLocalOriginErrors) {
    fail(scope, `${prop}.consecutiveLocalOriginFailures only takes effect with splitExternalLocalOriginErrors: true. Set it, or drop consecutiveLocalOriginFailures.`);
  }
  return {
    splitExternalLocalOriginErrors: od.splitExternalLocalOriginErrors,
    consecutiveLocalOriginFailures: nonNegative(scope, `${prop}.consecutiveLocalOriginFailures`, od.consecutiveLocalOriginFailures),
    consecutiveGatewayErrors: nonNegative(scope, `${prop}.consecutiveGatewayErrors`, od.consecutiveGatewayErrors),
    consecutive5xxErrors: nonNegative(scope, `${prop}.consecutive5xxErrors`, od.consecutive5xxErrors),
    interval: istioDuration(scope, `${prop}.interval`, od.interval),
    baseEjectionTime: istioDuration(scope, `${prop}.baseEjectionTime`, od.baseEjectionTime),
    maxEjectionPercent: checkPercent(scope, `${prop}.maxEjectionPercent`, od.maxEjectionPercent),
    minHealthPercent: checkPercent(scope, `${prop}.minHealthPercent`, od.minHealthPercent),
  };
}

/** @internal */
export function renderClientTls(scope: IConstruct, prop: string, tls: ClientTlsSettings | undefined): any {
  if (!tls) return undefined;
  if (tls.mode === ClientTlsMode.MUTUAL && !tls.credentialName && !(tls.clientCertificate && tls.privateKey)) {
    fail(scope, `${prop}: MUTUAL TLS needs credentialName, or clientCertificate and privateKey. Provide them, or use ISTIO_MUTUAL for mesh traffic.`);
  }
  return {
    mode: tls.mode,
    clientCertificate: tls.clientCertificate,
    privateKey: tls.privateKey,
    caCertificates: tls.caCertificates,
    credentialName: tls.credentialName,
    subjectAltNames: tls.subjectAltNames,
    sni: tls.sni,
    insecureSkipVerify: tls.insecureSkipVerify,
    caCrl: tls.caCrl,
  };
}

/** @internal */
export function renderTrafficPolicy(scope: IConstruct, prop: string, tp: TrafficPolicy | undefined): any {
  if (!tp) return undefined;
  const seen = new Set<number>();
  return {
    loadBalancer: renderLoadBalancer(scope, `${prop}.loadBalancer`, tp.loadBalancer),
    connectionPool: renderConnectionPool(scope, `${prop}.connectionPool`, tp.connectionPool),
    outlierDetection: renderOutlierDetection(scope, `${prop}.outlierDetection`, tp.outlierDetection),
    tls: renderClientTls(scope, `${prop}.tls`, tp.tls),
    portLevelSettings: tp.portLevelSettings?.map((p, i) => {
      const at = `${prop}.portLevelSettings[${i}]`;
      checkPort(scope, `${at}.port`, p.port);
      if (seen.has(p.port)) fail(scope, `${at}.port ${p.port} appears twice; merge the settings into one entry.`);
      seen.add(p.port);
      return {
        port: { number: p.port },
        loadBalancer: renderLoadBalancer(scope, `${at}.loadBalancer`, p.loadBalancer),
        connectionPool: renderConnectionPool(scope, `${at}.connectionPool`, p.connectionPool),
        outlierDetection: renderOutlierDetection(scope, `${at}.outlierDetection`, p.outlierDetection),
        tls: renderClientTls(scope, `${at}.tls`, p.tls),
      };
    }),
  };
}
