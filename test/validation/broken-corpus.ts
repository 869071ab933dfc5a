import { ApiObject, Chart } from 'cdk8s';

/**
 * Deliberately broken Istio configurations: the mistakes users make when they
 * write Istio YAML by hand (typos, wrong types, out-of-range values, bad
 * durations, enums, hosts and regexes, missing or contradictory fields). Each
 * case builds raw ApiObjects (the escape hatch: no typed construct stops them
 * early) named `x` in the namespace `shop`, so the construct path is `corpus/x`.
 */
export interface BrokenCase {
  /** What is wrong with it. */
  readonly name: string;
  /** Adds the broken object(s) to `chart`. */
  readonly build: (chart: Chart) => void;
}

const NAMESPACE = 'shop';

type Build = (chart: Chart, spec: any, name?: string) => ApiObject;

const kind = (apiVersion: string, k: string): Build => (chart, spec, name = 'x') =>
  new ApiObject(chart, name, { apiVersion, kind: k, metadata: { name, namespace: NAMESPACE }, spec });

const vs = kind('networking.istio.io/v1', 'VirtualService');
const dr = kind('networking.istio.io/v1', 'DestinationRule');
const gw = kind('networking.istio.io/v1', 'Gateway');
const se = kind('networking.istio.io/v1', 'ServiceEntry');
const sc = kind('networking.istio.io/v1', 'Sidecar');
const we = kind('networking.istio.io/v1', 'WorkloadEntry');
const pa = kind('security.istio.io/v1', 'PeerAuthentication');
const ra = kind('security.istio.io/v1', 'RequestAuthentication');
const ap = kind('security.istio.io/v1', 'AuthorizationPolicy');
const tel = kind('telemetry.istio.io/v1', 'Telemetry');
const ef = kind('networking.istio.io/v1alpha3', 'EnvoyFilter');

/** A whole object written by hand (for mistakes outside `spec`). */
const manifest = (chart: Chart, apiVersion: string, k: string, rest: any) =>
  new ApiObject(chart, 'x', { apiVersion, kind: k, metadata: { name: 'x', namespace: NAMESPACE }, ...rest });

// Valid fragments the broken cases are built around.
const route = [{ destination: { host: 'reviews' } }];
/** A VirtualService for `reviews`, `spec` merged into it. */
const vsWith = (chart: Chart, spec: any) => vs(chart, { hosts: ['reviews'], ...spec });
/** A VirtualService for `reviews` with one HTTP rule routing to `destinations`. */
const vsRoute = (chart: Chart, ...destinations: any[]) => vsWith(chart, { http: [{ route: destinations }] });
/** A VirtualService for `reviews` with one HTTP route, `http` merged into it. */
const vsHttp = (chart: Chart, http: any) => vsWith(chart, { http: [{ route, ...http }] });
/** A DestinationRule for `reviews`, `spec` merged into it. */
const drWith = (chart: Chart, spec: any) => dr(chart, { host: 'reviews', ...spec });
/** A DestinationRule for `reviews` with `trafficPolicy`. */
const drPolicy = (chart: Chart, trafficPolicy: any) => drWith(chart, { trafficPolicy });
const httpPort = { number: 80, name: 'http', protocol: 'HTTP' };
const httpsPort = { number: 443, name: 'https', protocol: 'HTTPS' };
/** An ingress Gateway with the given servers. */
const gwServers = (chart: Chart, ...servers: any[]) => gw(chart, { selector: { istio: 'ingressgateway' }, servers });
/** A Gateway server for `*.example.com`, `server` merged into it. */
const server = (s: any) => ({ port: httpPort, hosts: ['*.example.com'], ...s });
/** An external ServiceEntry for api.example.com:443, `spec` merged into it. */
const seWith = (chart: Chart, spec: any) => se(chart, {
  hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL', ...spec,
});
const egressAll = { hosts: ['./*', 'istio-system/*'] };
const selector = { matchLabels: { app: 'reviews' } };
/** A PeerAuthentication of the reviews workloads, `spec` merged into it. */
const paWith = (chart: Chart, spec: any) => pa(chart, { selector, ...spec });
/** A RequestAuthentication of the reviews workloads with one JWT rule. */
const jwt = (chart: Chart, rule: any) => ra(chart, { selector, jwtRules: [rule] });
const issuer = { issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/.well-known/jwks.json' };
/** An AuthorizationPolicy of the reviews workloads, `spec` merged into it. */
const apWith = (chart: Chart, spec: any) => ap(chart, { selector, ...spec });
/** An ALLOW policy with one rule. */
const allow = (chart: Chart, rule: any) => apWith(chart, { action: 'ALLOW', rules: [rule] });
const tracing = (chart: Chart, t: any) => tel(chart, { tracing: [{ providers: [{ name: 'zipkin' }], ...t }] });
const metricOverride = (chart: Chart, override: any) => tel(chart, { metrics: [{ providers: [{ name: 'prometheus' }], overrides: [override] }] });
/** An EnvoyFilter with one config patch. */
const patch = (chart: Chart, configPatch: any) => ef(chart, { workloadSelector: { labels: { app: 'reviews' } }, configPatches: [configPatch] });
const luaFilter = {
  name: 'envoy.filters.http.lua',
  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua', 'inlineCode': 'function envoy_on_request(h) end' },
};
const hcmMatch = { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } };

const virtualServices: BrokenCase[] = [
  { name: 'VirtualService: typo `timout`', build: c => vsHttp(c, { timout: '5s' }) },
  { name: 'VirtualService: typo `retries.attemps`', build: c => vsHttp(c, { retries: { attemps: 3 } }) },
  { name: 'VirtualService: typo `destination.subsets`', build: c => vsRoute(c, { destination: { host: 'reviews', subsets: 'v1' } }) },
  { name: 'VirtualService: `spec` misspelled `sepc`', build: c => manifest(c, 'networking.istio.io/v1', 'VirtualService', { sepc: { hosts: ['reviews'], http: [{ route }] } }) },
  { name: 'VirtualService: no hosts (a delegate) but gateways', build: c => vs(c, { gateways: ['public'], http: [{ route }] }) },
  { name: 'VirtualService: wildcard inside a host', build: c => vs(c, { hosts: ['shop.*.example.com'], http: [{ route }] }) },
  { name: 'VirtualService: host is a URL', build: c => vs(c, { hosts: ['http://reviews'], http: [{ route }] }) },
  { name: 'VirtualService: host with a space', build: c => vs(c, { hosts: ['reviews service'], http: [{ route }] }) },
  { name: 'VirtualService: timeout without unit', build: c => vsHttp(c, { timeout: '5' }) },
  { name: 'VirtualService: timeout `5 seconds`', build: c => vsHttp(c, { timeout: '5 seconds' }) },
  { name: 'VirtualService: negative timeout', build: c => vsHttp(c, { timeout: '-1s' }) },
  { name: 'VirtualService: timeout as a number', build: c => vsHttp(c, { timeout: 5 }) },
  { name: 'VirtualService: negative retry attempts', build: c => vsHttp(c, { retries: { attempts: -1 } }) },
  { name: 'VirtualService: retry attempts as a word', build: c => vsHttp(c, { retries: { attempts: 'three' } }) },
  { name: 'VirtualService: retry attempts as a numeric string', build: c => vsHttp(c, { retries: { attempts: '3' } }) },
  { name: 'VirtualService: perTryTimeout under 1ms', build: c => vsHttp(c, { retries: { attempts: 3, perTryTimeout: '0.0005s' } }) },
  { name: 'VirtualService: retry policy with 0 attempts', build: c => vsHttp(c, { retries: { attempts: 0, retryOn: '5xx' } }) },
  { name: 'VirtualService: unknown retryOn policy', build: c => vsHttp(c, { retries: { attempts: 3, retryOn: 'connect-failure,5xxx' } }) },
  { name: 'VirtualService: negative weight', build: c => vsRoute(c, { destination: { host: 'reviews' }, weight: -10 }) },
  { name: 'VirtualService: weights all 0', build: c => vsRoute(c, { destination: { host: 'reviews' }, weight: 0 }, { destination: { host: 'ratings' }, weight: 0 }) },
  { name: 'VirtualService: destination without host', build: c => vsRoute(c, { destination: { subset: 'v1' } }) },
  { name: 'VirtualService: destination host `*`', build: c => vsRoute(c, { destination: { host: '*' } }) },
  {
    name: 'VirtualService: destination host as a number',
    build: c => vsRoute(c, { destination: { host: 123 } }),
  },
  { name: 'VirtualService: destination port > 65535', build: c => vsRoute(c, { destination: { host: 'reviews', port: { number: 70000 } } }) },
  { name: 'VirtualService: destination port 0', build: c => vsRoute(c, { destination: { host: 'reviews', port: { number: 0 } } }) },
  { name: 'VirtualService: subset name not a DNS label', build: c => vsRoute(c, { destination: { host: 'reviews', subset: 'v1.beta' } }) },
  { name: 'VirtualService: fault without abort or delay', build: c => vsHttp(c, { fault: {} }) },
  { name: 'VirtualService: abort status > 599', build: c => vsHttp(c, { fault: { abort: { httpStatus: 700, percentage: { value: 10 } } } }) },
  { name: 'VirtualService: abort with unknown gRPC status', build: c => vsHttp(c, { fault: { abort: { grpcStatus: 'NOT_FOUNDD' } } }) },
  { name: 'VirtualService: abort percentage > 100', build: c => vsHttp(c, { fault: { abort: { httpStatus: 503, percentage: { value: 150 } } } }) },
  { name: 'VirtualService: delay percentage negative', build: c => vsHttp(c, { fault: { delay: { fixedDelay: '1s', percentage: { value: -5 } } } }) },
  { name: 'VirtualService: delay fixedDelay under 1ms', build: c => vsHttp(c, { fault: { delay: { fixedDelay: '0s' } } }) },
  { name: 'VirtualService: exponentialDelay', build: c => vsHttp(c, { fault: { delay: { exponentialDelay: '1s' } } }) },
  { name: 'VirtualService: mirrorPercentage > 100', build: c => vsHttp(c, { mirror: { host: 'reviews-shadow' }, mirrorPercentage: { value: 150 } }) },
  { name: 'VirtualService: mirrors percentage negative', build: c => vsHttp(c, { mirrors: [{ destination: { host: 'reviews-shadow' }, percentage: { value: -1 } }] }) },
  { name: 'VirtualService: mirrors without destination', build: c => vsHttp(c, { mirrors: [{ percentage: { value: 10 } }] }) },
  { name: 'VirtualService: mirror with an invalid host', build: c => vsHttp(c, { mirror: { host: 'http://shadow' } }) },
  { name: 'VirtualService: CORS origin regex with lookahead', build: c => vsHttp(c, { corsPolicy: { allowOrigins: [{ regex: 'https://(?=a).*' }] } }) },
  { name: 'VirtualService: CORS empty origin', build: c => vsHttp(c, { corsPolicy: { allowOrigins: [{ exact: '' }] } }) },
  { name: 'VirtualService: CORS unknown method', build: c => vsHttp(c, { corsPolicy: { allowOrigins: [{ exact: 'https://a.example.com' }], allowMethods: ['FETCH'] } }) },
  { name: 'VirtualService: CORS header name with a space', build: c => vsHttp(c, { corsPolicy: { allowOrigins: [{ exact: 'https://a.example.com' }], allowHeaders: ['x custom'] } }) },
  { name: 'VirtualService: CORS maxAge with sub-second precision', build: c => vsHttp(c, { corsPolicy: { allowOrigins: [{ exact: 'https://a.example.com' }], maxAge: '1.5s' } }) },
  { name: 'VirtualService: CORS allowOrigins as strings', build: c => vsHttp(c, { corsPolicy: { allowOrigins: ['https://a.example.com'] } }) },
  { name: 'VirtualService: uri regex with lookahead', build: c => vsHttp(c, { match: [{ uri: { regex: '/api/(?=v1).*' } }] }) },
  { name: 'VirtualService: uri regex with backreference', build: c => vsHttp(c, { match: [{ uri: { regex: '/(a)\\1' } }] }) },
  { name: 'VirtualService: header match regex unbalanced', build: c => vsHttp(c, { match: [{ headers: { 'x-user': { regex: '(abc' } } }] }) },
  { name: 'VirtualService: header match name with a space', build: c => vsHttp(c, { match: [{ headers: { 'x user': { exact: 'a' } } }] }) },
  { name: 'VirtualService: header match name with a colon', build: c => vsHttp(c, { match: [{ headers: { 'x:user': { exact: 'a' } } }] }) },
  { name: 'VirtualService: query param regex invalid', build: c => vsHttp(c, { match: [{ queryParams: { id: { regex: '[0-9' } } }] }) },
  { name: 'VirtualService: uri match with two match types', build: c => vsHttp(c, { match: [{ uri: { exact: '/a', prefix: '/b' } }] }) },
  { name: 'VirtualService: uri match as a string', build: c => vsHttp(c, { match: [{ uri: '/api' }] }) },
  { name: 'VirtualService: match port > 65535', build: c => vsHttp(c, { match: [{ port: 70000 }] }) },
  { name: 'VirtualService: match sourceLabels key invalid', build: c => vsHttp(c, { match: [{ sourceLabels: { 'app name!': 'web' } }] }) },
  { name: 'VirtualService: request header set of pseudo-header `:path`', build: c => vsHttp(c, { headers: { request: { set: { ':path': '/v2' } } } }) },
  { name: 'VirtualService: response header remove of a pseudo-header', build: c => vsHttp(c, { headers: { response: { remove: [':status'] } } }) },
  { name: 'VirtualService: request header value with a newline', build: c => vsHttp(c, { headers: { request: { add: { 'x-a': 'a\nb' } } } }) },
  { name: 'VirtualService: both route and redirect', build: c => vsHttp(c, { redirect: { uri: '/new' } }) },
  { name: 'VirtualService: redirect code 250', build: c => vsWith(c, { http: [{ redirect: { uri: '/new', redirectCode: 250 } }] }) },
  { name: 'VirtualService: redirect with nothing to redirect to', build: c => vsWith(c, { http: [{ redirect: { redirectCode: 301 } }] }) },
  { name: 'VirtualService: redirect scheme ftp', build: c => vsWith(c, { http: [{ redirect: { scheme: 'ftp' } }] }) },
  { name: 'VirtualService: directResponse status > 599', build: c => vsWith(c, { http: [{ directResponse: { status: 700 } }] }) },
  { name: 'VirtualService: rewrite uri and uriRegexRewrite', build: c => vsHttp(c, { rewrite: { uri: '/a', uriRegexRewrite: { match: '^/b', rewrite: '/c' } } }) },
  { name: 'VirtualService: uriRegexRewrite with lookahead', build: c => vsHttp(c, { rewrite: { uriRegexRewrite: { match: '^/(?=v1)', rewrite: '/' } } }) },
  { name: 'VirtualService: empty rewrite', build: c => vsHttp(c, { rewrite: {} }) },
  { name: 'VirtualService: http rule without route, redirect or directResponse', build: c => vsWith(c, { http: [{ match: [{ uri: { prefix: '/' } }] }] }) },
  { name: 'VirtualService: tcp rule without route', build: c => vsWith(c, { tcp: [{ match: [{ port: 3306 }] }] }) },
  { name: 'VirtualService: tcp match port > 65535', build: c => vsWith(c, { tcp: [{ match: [{ port: 70000 }], route }] }) },
  { name: 'VirtualService: tls match without sniHosts', build: c => vsWith(c, { tls: [{ match: [{ port: 443 }], route }] }) },
  { name: 'VirtualService: tls sniHost outside the hosts', build: c => vsWith(c, { tls: [{ match: [{ sniHosts: ['other.example.com'] }], route }] }) },
  { name: 'VirtualService: gateway name invalid', build: c => vsWith(c, { gateways: ['bad_gateway!'], http: [{ route }] }) },
  { name: 'VirtualService: exportTo invalid namespace', build: c => vsWith(c, { exportTo: ['Not_A_Namespace'], http: [{ route }] }) },
  { name: 'VirtualService: exportTo `*` with a namespace', build: c => vsWith(c, { exportTo: ['*', 'other'], http: [{ route }] }) },
  { name: 'VirtualService: exportTo as a string', build: c => vsWith(c, { exportTo: '.', http: [{ route }] }) },
  {
    name: 'VirtualService: http as an object',
    build: c => vsWith(c, { http: { route } }),
  },
];

const destinationRules: BrokenCase[] = [
  { name: 'DestinationRule: no host', build: c => dr(c, { subsets: [{ name: 'v1', labels: { version: 'v1' } }] }) },
  { name: 'DestinationRule: host is a URL', build: c => dr(c, { host: 'http://reviews' }) },
  { name: 'DestinationRule: subsets as an object', build: c => drWith(c, { subsets: { v1: { labels: { version: 'v1' } } } }) },
  { name: 'DestinationRule: host as a list', build: c => dr(c, { host: ['reviews'] }) },
  { name: 'DestinationRule: typo `subsets[0].lables`', build: c => drWith(c, { subsets: [{ name: 'v1', lables: { version: 'v1' } }] }) },
  { name: 'DestinationRule: typo `trafficPolicy.loadBalancing`', build: c => drPolicy(c, { loadBalancing: { simple: 'ROUND_ROBIN' } }) },
  { name: 'DestinationRule: duplicate subset names', build: c => drWith(c, { subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v1', labels: { version: 'v2' } }] }) },
  { name: 'DestinationRule: subset without name', build: c => drWith(c, { subsets: [{ labels: { version: 'v1' } }] }) },
  { name: 'DestinationRule: subset label key invalid', build: c => drWith(c, { subsets: [{ name: 'v1', labels: { 'my version!': 'v1' } }] }) },
  { name: 'DestinationRule: subset labels as a list', build: c => drWith(c, { subsets: [{ name: 'v1', labels: ['version=v1'] }] }) },
  { name: 'DestinationRule: tls mode `SIMPLEE`', build: c => drPolicy(c, { tls: { mode: 'SIMPLEE' } }) },
  { name: 'DestinationRule: load balancer `ROUND_ROBBIN`', build: c => drPolicy(c, { loadBalancer: { simple: 'ROUND_ROBBIN' } }) },
  { name: 'DestinationRule: negative maxConnections', build: c => drPolicy(c, { connectionPool: { tcp: { maxConnections: -1 } } }) },
  { name: 'DestinationRule: maxConnections as a numeric string', build: c => drPolicy(c, { connectionPool: { tcp: { maxConnections: '100' } } }) },
  { name: 'DestinationRule: connectTimeout without unit', build: c => drPolicy(c, { connectionPool: { tcp: { connectTimeout: '5' } } }) },
  { name: 'DestinationRule: negative http1MaxPendingRequests', build: c => drPolicy(c, { connectionPool: { http: { http1MaxPendingRequests: -5 } } }) },
  { name: 'DestinationRule: h2UpgradePolicy `UPGRADEE`', build: c => drPolicy(c, { connectionPool: { http: { h2UpgradePolicy: 'UPGRADEE' } } }) },
  { name: 'DestinationRule: idleTimeout negative', build: c => drPolicy(c, { connectionPool: { http: { idleTimeout: '-1s' } } }) },
  { name: 'DestinationRule: negative consecutive5xxErrors', build: c => drPolicy(c, { outlierDetection: { consecutive5xxErrors: -1 } }) },
  { name: 'DestinationRule: maxEjectionPercent > 100', build: c => drPolicy(c, { outlierDetection: { maxEjectionPercent: 150 } }) },
  { name: 'DestinationRule: outlier interval negative', build: c => drPolicy(c, { outlierDetection: { interval: '-1s' } }) },
  { name: 'DestinationRule: outlier baseEjectionTime 0s', build: c => drPolicy(c, { outlierDetection: { baseEjectionTime: '0s' } }) },
  { name: 'DestinationRule: portLevelSettings without port', build: c => drPolicy(c, { portLevelSettings: [{ tls: { mode: 'ISTIO_MUTUAL' } }] }) },
  { name: 'DestinationRule: portLevelSettings with only a port', build: c => drPolicy(c, { portLevelSettings: [{ port: { number: 8080 } }] }) },
  { name: 'DestinationRule: consistentHash cookie without name', build: c => drPolicy(c, { loadBalancer: { consistentHash: { httpCookie: { ttl: '60s' } } } }) },
  { name: 'DestinationRule: warmup minimumPercent > 100', build: c => drPolicy(c, { loadBalancer: { simple: 'LEAST_REQUEST', warmup: { duration: '60s', minimumPercent: 150 } } }) },
  { name: 'DestinationRule: maglev tableSize not prime', build: c => drPolicy(c, { loadBalancer: { consistentHash: { httpHeaderName: 'x-user', maglev: { tableSize: 1000 } } } }) },
  {
    name: 'DestinationRule: locality weights not summing to 100',
    build: c => drPolicy(c, {
      loadBalancer: { localityLbSetting: { distribute: [{ from: 'us-west/*', to: { 'us-west/*': 80, 'us-east/*': 30 } }] } },
    }),
  },
  {
    name: 'DestinationRule: locality failover and distribute',
    build: c => drPolicy(c, {
      loadBalancer: { localityLbSetting: { distribute: [{ from: 'us-west/*', to: { 'us-west/*': 100 } }], failover: [{ from: 'us-west', to: 'us-east' }] } },
    }),
  },
  { name: 'DestinationRule: exportTo invalid namespace', build: c => drWith(c, { exportTo: ['bad namespace'] }) },
  { name: 'DestinationRule: exportTo duplicates', build: c => drWith(c, { exportTo: ['.', NAMESPACE] }) },
  { name: 'DestinationRule: workloadSelector label with wildcard', build: c => drWith(c, { workloadSelector: { matchLabels: { app: 'reviews-*' } } }) },
  { name: 'DestinationRule: tunnel protocol `SOCKS`', build: c => drPolicy(c, { tunnel: { protocol: 'SOCKS', targetHost: 'api.example.com', targetPort: 443 } }) },
  { name: 'DestinationRule: proxyProtocol version `V3`', build: c => drPolicy(c, { proxyProtocol: { version: 'V3' } }) },
  { name: 'DestinationRule: tls maxProtocolVersion `TLSV1_4`', build: c => drPolicy(c, { tls: { mode: 'SIMPLE', maxProtocolVersion: 'TLSV1_4' } }) },
];

const gateways: BrokenCase[] = [
  { name: 'Gateway: no servers', build: c => gw(c, { selector: { istio: 'ingressgateway' } }) },
  { name: 'Gateway: server without hosts', build: c => gwServers(c, { port: httpPort }) },
  { name: 'Gateway: server port name missing', build: c => gwServers(c, server({ port: { number: 80, protocol: 'HTTP' } })) },
  { name: 'Gateway: server without port', build: c => gwServers(c, { hosts: ['*.example.com'] }) },
  { name: 'Gateway: port > 65535', build: c => gwServers(c, server({ port: { ...httpPort, number: 70000 } })) },
  { name: 'Gateway: port number as a numeric string', build: c => gwServers(c, server({ port: { ...httpPort, number: '80' } })) },
  { name: 'Gateway: protocol `HTTP3`', build: c => gwServers(c, server({ port: { ...httpPort, protocol: 'HTTP3' } })) },
  { name: 'Gateway: targetPort set', build: c => gwServers(c, server({ port: { ...httpPort, targetPort: 8080 } })) },
  { name: 'Gateway: HTTPS server without tls', build: c => gwServers(c, server({ port: httpsPort })) },
  { name: 'Gateway: SIMPLE tls without a credential', build: c => gwServers(c, server({ port: httpsPort, tls: { mode: 'SIMPLE' } })) },
  {
    name: 'Gateway: MUTUAL tls without a client CA',
    build: c => gwServers(c, server({
      port: httpsPort, tls: { mode: 'MUTUAL', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key' },
    })),
  },
  { name: 'Gateway: ISTIO_MUTUAL with a credentialName', build: c => gwServers(c, server({ port: httpsPort, tls: { mode: 'ISTIO_MUTUAL', credentialName: 'shop-cert' } })) },
  {
    name: 'Gateway: two certificate sources',
    build: c => gwServers(c, server({
      port: httpsPort, tls: { mode: 'SIMPLE', credentialName: 'shop-cert', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key' },
    })),
  },
  {
    name: 'Gateway: CRL with SIMPLE tls',
    build: c => gwServers(c, server({
      port: httpsPort, tls: { mode: 'SIMPLE', serverCertificate: '/etc/certs/tls.crt', privateKey: '/etc/certs/tls.key', caCrl: '/etc/certs/crl.pem' },
    })),
  },
  { name: 'Gateway: tls settings on a plain HTTP port', build: c => gwServers(c, server({ tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } })) },
  { name: 'Gateway: tls mode `SIMPEL`', build: c => gwServers(c, server({ port: httpsPort, tls: { mode: 'SIMPEL', credentialName: 'shop-cert' } })) },
  { name: 'Gateway: minProtocolVersion `TLSV1_4`', build: c => gwServers(c, server({ port: httpsPort, tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_4' } })) },
  { name: 'Gateway: typo `tls.credentalName`', build: c => gwServers(c, server({ port: httpsPort, tls: { mode: 'SIMPLE', credentalName: 'shop-cert' } })) },
  { name: 'Gateway: duplicate port names', build: c => gwServers(c, server({}), server({ port: { ...httpPort, number: 8080 } })) },
  { name: 'Gateway: host `*foo.com`', build: c => gwServers(c, server({ hosts: ['*foo.com'] })) },
  { name: 'Gateway: host is a URL', build: c => gwServers(c, server({ hosts: ['https://shop.example.com'] })) },
  {
    name: 'Gateway: minProtocolVersion above maxProtocolVersion',
    build: c => gwServers(c, server({
      port: httpsPort, tls: { mode: 'SIMPLE', credentialName: 'shop-cert', minProtocolVersion: 'TLSV1_3', maxProtocolVersion: 'TLSV1_2' },
    })),
  },
  { name: 'Gateway: hosts as a string', build: c => gwServers(c, server({ hosts: '*.example.com' })) },
  { name: 'Gateway: host with an invalid namespace', build: c => gwServers(c, server({ hosts: ['bad_ns/shop.example.com'] })) },
  { name: 'Gateway: bind not an IP', build: c => gwServers(c, server({ bind: 'localhost' })) },
  { name: 'Gateway: name with dots', build: c => gw(c, { selector: { istio: 'ingressgateway' }, servers: [server({})] }, 'public.gw') },
  { name: 'Gateway: typo `selecter`', build: c => gw(c, { selecter: { istio: 'ingressgateway' }, servers: [server({})] }) },
  {
    name: 'Gateway: servers as an object',
    build: c => gw(c, { selector: { istio: 'ingressgateway' }, servers: server({}) }),
  },
];

const serviceEntries: BrokenCase[] = [
  { name: 'ServiceEntry: no hosts', build: c => seWith(c, { hosts: [] }) },
  { name: 'ServiceEntry: wildcard inside a host', build: c => seWith(c, { hosts: ['api.*.example.com'], resolution: 'NONE' }) },
  { name: 'ServiceEntry: host is a URL', build: c => seWith(c, { hosts: ['https://api.example.com'] }) },
  { name: 'ServiceEntry: port > 65535', build: c => seWith(c, { ports: [{ number: 70000, name: 'tls', protocol: 'TLS' }] }) },
  { name: 'ServiceEntry: port name missing', build: c => seWith(c, { ports: [{ number: 443, protocol: 'TLS' }] }) },
  { name: 'ServiceEntry: protocol `HTTP3`', build: c => seWith(c, { ports: [{ number: 443, name: 'tls', protocol: 'HTTP3' }] }) },
  { name: 'ServiceEntry: resolution `DNSS`', build: c => seWith(c, { resolution: 'DNSS' }) },
  { name: 'ServiceEntry: location `EXTERNAL`', build: c => seWith(c, { location: 'EXTERNAL' }) },
  { name: 'ServiceEntry: typo `resoluton`', build: c => se(c, { hosts: ['api.example.com'], ports: [{ number: 443, name: 'tls', protocol: 'TLS' }], resoluton: 'DNS' }) },
  { name: 'ServiceEntry: DNS resolution with a wildcard host', build: c => seWith(c, { hosts: ['*.example.com'] }) },
  { name: 'ServiceEntry: address not an IP', build: c => seWith(c, { addresses: ['not-an-ip'], resolution: 'STATIC', endpoints: [{ address: '10.0.0.1' }] }) },
  { name: 'ServiceEntry: CIDR address with DNS resolution', build: c => seWith(c, { addresses: ['10.0.0.0/24'] }) },
  { name: 'ServiceEntry: STATIC endpoint address invalid', build: c => seWith(c, { resolution: 'STATIC', endpoints: [{ address: '10.0.0.300' }] }) },
  { name: 'ServiceEntry: NONE resolution with endpoints', build: c => seWith(c, { resolution: 'NONE', endpoints: [{ address: '10.0.0.1' }] }) },
  { name: 'ServiceEntry: endpoints and workloadSelector', build: c => seWith(c, { resolution: 'STATIC', endpoints: [{ address: '10.0.0.1' }], workloadSelector: { labels: { app: 'vm' } } }) },
  { name: 'ServiceEntry: endpoint port not defined by the entry', build: c => seWith(c, { resolution: 'STATIC', endpoints: [{ address: '10.0.0.1', ports: { http: 8080 } }] }) },
  { name: 'ServiceEntry: duplicate port numbers', build: c => seWith(c, { ports: [{ number: 443, name: 'tls', protocol: 'TLS' }, { number: 443, name: 'https', protocol: 'HTTPS' }] }) },
  { name: 'ServiceEntry: duplicate port names', build: c => seWith(c, { ports: [{ number: 443, name: 'tls', protocol: 'TLS' }, { number: 8443, name: 'tls', protocol: 'TLS' }] }) },
  { name: 'ServiceEntry: exportTo invalid namespace', build: c => seWith(c, { exportTo: ['-bad-'] }) },
  { name: 'ServiceEntry: DNS_ROUND_ROBIN with two endpoints', build: c => seWith(c, { resolution: 'DNS_ROUND_ROBIN', endpoints: [{ address: 'a.example.com' }, { address: 'b.example.com' }] }) },
  { name: 'ServiceEntry: ports as numbers', build: c => seWith(c, { ports: [443] }) },
  { name: 'ServiceEntry: hosts as a string', build: c => seWith(c, { hosts: 'api.example.com' }) },
];

const sidecars: BrokenCase[] = [
  { name: 'Sidecar: empty configuration', build: c => sc(c, {}) },
  { name: 'Sidecar: only a workloadSelector', build: c => sc(c, { workloadSelector: { labels: { app: 'reviews' } } }) },
  { name: 'Sidecar: egress without hosts', build: c => sc(c, { egress: [{ port: { number: 80, name: 'http', protocol: 'HTTP' } }] }) },
  { name: 'Sidecar: egress host without namespace', build: c => sc(c, { egress: [{ hosts: ['reviews'] }] }) },
  { name: 'Sidecar: egress host invalid', build: c => sc(c, { egress: [{ hosts: ['./bad_host!'] }] }) },
  { name: 'Sidecar: egress as an object', build: c => sc(c, { egress: egressAll }) },
  { name: 'Sidecar: two catch-all egress listeners', build: c => sc(c, { egress: [egressAll, egressAll] }) },
  { name: 'Sidecar: ingress without port', build: c => sc(c, { ingress: [{ defaultEndpoint: '127.0.0.1:8080' }] }) },
  { name: 'Sidecar: ingress defaultEndpoint on another host', build: c => sc(c, { ingress: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, defaultEndpoint: '10.0.0.1:8080' }] }) },
  { name: 'Sidecar: ingress defaultEndpoint without port', build: c => sc(c, { ingress: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, defaultEndpoint: '127.0.0.1' }] }) },
  { name: 'Sidecar: ingress port > 65535', build: c => sc(c, { ingress: [{ port: { number: 70000, name: 'http', protocol: 'HTTP' }, defaultEndpoint: '127.0.0.1:8080' }] }) },
  { name: 'Sidecar: ingress protocol `HTTP3`', build: c => sc(c, { ingress: [{ port: { number: 80, name: 'http', protocol: 'HTTP3' }, defaultEndpoint: '127.0.0.1:8080' }] }) },
  {
    name: 'Sidecar: duplicate ingress ports',
    build: c => sc(c, {
      ingress: [80, 80].map((number, i) => ({ port: { number, name: `http-${i}`, protocol: 'HTTP' }, defaultEndpoint: '127.0.0.1:8080' })),
    }),
  },
  { name: 'Sidecar: outboundTrafficPolicy `ALLOW_ALL`', build: c => sc(c, { outboundTrafficPolicy: { mode: 'ALLOW_ALL' } }) },
  { name: 'Sidecar: egressProxy with REGISTRY_ONLY', build: c => sc(c, { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY', egressProxy: { host: 'egress.example.com', port: { number: 443 } } } }) },
  { name: 'Sidecar: captureMode `IPTABLE`', build: c => sc(c, { egress: [{ hosts: ['./*'], captureMode: 'IPTABLE' }] }) },
  { name: 'Sidecar: typo `egres`', build: c => sc(c, { egres: [egressAll] }) },
  { name: 'Sidecar: workloadSelector label with wildcard', build: c => sc(c, { workloadSelector: { labels: { app: '*' } }, egress: [egressAll] }) },
];

const workloadEntries: BrokenCase[] = [
  { name: 'WorkloadEntry: no address', build: c => we(c, { labels: { app: 'vm' } }) },
  { name: 'WorkloadEntry: address neither IP nor FQDN', build: c => we(c, { address: 'vm_1!.example.com', labels: { app: 'vm' } }) },
  { name: 'WorkloadEntry: port > 65535', build: c => we(c, { address: '10.0.0.5', ports: { http: 70000 } }) },
  { name: 'WorkloadEntry: port name invalid', build: c => we(c, { address: '10.0.0.5', ports: { 'http web': 8080 } }) },
  { name: 'WorkloadEntry: label key invalid', build: c => we(c, { address: '10.0.0.5', labels: { 'app name!': 'vm' } }) },
  { name: 'WorkloadEntry: negative weight', build: c => we(c, { address: '10.0.0.5', weight: -1 }) },
  { name: 'WorkloadEntry: ports as a list', build: c => we(c, { address: '10.0.0.5', ports: [{ name: 'http', number: 8080 }] }) },
  { name: 'WorkloadEntry: typo `adress`', build: c => we(c, { adress: '10.0.0.5', labels: { app: 'vm' } }) },
  { name: 'WorkloadEntry: labels as a list', build: c => we(c, { address: '10.0.0.5', labels: ['app=vm'] }) },
  { name: 'WorkloadEntry: unix address with ports', build: c => we(c, { address: 'unix:///var/run/app.sock', ports: { http: 8080 } }) },
];

const peerAuthentications: BrokenCase[] = [
  { name: 'PeerAuthentication: mode `STRICTT`', build: c => paWith(c, { mtls: { mode: 'STRICTT' } }) },
  { name: 'PeerAuthentication: mode in lower case', build: c => paWith(c, { mtls: { mode: 'strict' } }) },
  { name: 'PeerAuthentication: port-level mTLS without selector', build: c => pa(c, { mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } }) },
  { name: 'PeerAuthentication: port-level port > 65535', build: c => paWith(c, { portLevelMtls: { 70000: { mode: 'DISABLE' } } }) },
  { name: 'PeerAuthentication: port-level key not a number', build: c => paWith(c, { portLevelMtls: { http: { mode: 'DISABLE' } } }) },
  { name: 'PeerAuthentication: selector label with wildcard', build: c => pa(c, { selector: { matchLabels: { 'app*': 'reviews' } }, mtls: { mode: 'STRICT' } }) },
  { name: 'PeerAuthentication: mtls as a string', build: c => paWith(c, { mtls: 'STRICT' }) },
  { name: 'PeerAuthentication: selector as a string', build: c => pa(c, { selector: 'app=reviews', mtls: { mode: 'STRICT' } }) },
  { name: 'PeerAuthentication: typo `mtsl`', build: c => paWith(c, { mtsl: { mode: 'STRICT' } }) },
  { name: 'PeerAuthentication: typo `selector.matchLabel`', build: c => pa(c, { selector: { matchLabel: { app: 'reviews' } }, mtls: { mode: 'STRICT' } }) },
];

const requestAuthentications: BrokenCase[] = [
  { name: 'RequestAuthentication: JWT rule without issuer or jwksUri', build: c => jwt(c, { audiences: ['shop'] }) },
  { name: 'RequestAuthentication: jwksUri not a URL', build: c => jwt(c, { issuer: 'https://auth.example.com', jwksUri: 'auth.example.com/jwks' }) },
  { name: 'RequestAuthentication: jwksUri with ftp scheme', build: c => jwt(c, { issuer: 'https://auth.example.com', jwksUri: 'ftp://auth.example.com/jwks.json' }) },
  { name: 'RequestAuthentication: inline jwks not JSON', build: c => jwt(c, { issuer: 'https://auth.example.com', jwks: '{not json' }) },
  { name: 'RequestAuthentication: empty audience', build: c => jwt(c, { ...issuer, audiences: [''] }) },
  { name: 'RequestAuthentication: fromHeaders without name', build: c => jwt(c, { ...issuer, fromHeaders: [{ prefix: 'Bearer ' }] }) },
  { name: 'RequestAuthentication: empty fromParams', build: c => jwt(c, { ...issuer, fromParams: [''] }) },
  { name: 'RequestAuthentication: empty fromCookies', build: c => jwt(c, { ...issuer, fromCookies: [''] }) },
  { name: 'RequestAuthentication: outputClaimToHeaders invalid header', build: c => jwt(c, { ...issuer, outputClaimToHeaders: [{ header: 'x user', claim: 'sub' }] }) },
  { name: 'RequestAuthentication: outputClaimToHeaders without claim', build: c => jwt(c, { ...issuer, outputClaimToHeaders: [{ header: 'x-user' }] }) },
  { name: 'RequestAuthentication: timeout 0s', build: c => jwt(c, { ...issuer, timeout: '0s' }) },
  {
    name: 'RequestAuthentication: selector and targetRef',
    build: c => ra(c, {
      selector, targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }, jwtRules: [issuer],
    }),
  },
  { name: 'RequestAuthentication: targetRef to a Deployment', build: c => ra(c, { targetRef: { group: 'apps', kind: 'Deployment', name: 'reviews' }, jwtRules: [issuer] }) },
  { name: 'RequestAuthentication: typo `jwtRule`', build: c => ra(c, { selector, jwtRule: [issuer] }) },
  { name: 'RequestAuthentication: jwtRules as an object', build: c => ra(c, { selector, jwtRules: issuer }) },
  { name: 'RequestAuthentication: issuer as a list', build: c => jwt(c, { ...issuer, issuer: ['https://auth.example.com'] }) },
];

const authorizationPolicies: BrokenCase[] = [
  { name: 'AuthorizationPolicy: action `DENYY`', build: c => apWith(c, { action: 'DENYY', rules: [{}] }) },
  { name: 'AuthorizationPolicy: CUSTOM without provider', build: c => apWith(c, { action: 'CUSTOM', rules: [{}] }) },
  { name: 'AuthorizationPolicy: CUSTOM without rules', build: c => apWith(c, { action: 'CUSTOM', provider: { name: 'ext-authz' } }) },
  {
    name: 'AuthorizationPolicy: CUSTOM with principals',
    build: c => apWith(c, {
      action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }],
    }),
  },
  { name: 'AuthorizationPolicy: provider with ALLOW', build: c => apWith(c, { action: 'ALLOW', provider: { name: 'ext-authz' }, rules: [{}] }) },
  { name: 'AuthorizationPolicy: DENY without rules', build: c => apWith(c, { action: 'DENY' }) },
  { name: 'AuthorizationPolicy: `to` entry without operation', build: c => allow(c, { to: [{}] }) },
  { name: 'AuthorizationPolicy: `from` entry without source', build: c => allow(c, { from: [{}] }) },
  { name: 'AuthorizationPolicy: empty source', build: c => allow(c, { from: [{ source: {} }] }) },
  { name: 'AuthorizationPolicy: `source` directly in the rule', build: c => allow(c, { source: { principals: ['cluster.local/ns/shop/sa/web'] } }) },
  { name: 'AuthorizationPolicy: `from.principals` without source', build: c => allow(c, { from: [{ principals: ['cluster.local/ns/shop/sa/web'] }] }) },
  { name: 'AuthorizationPolicy: empty notPrincipals value', build: c => apWith(c, { action: 'DENY', rules: [{ from: [{ source: { notPrincipals: [''] } }] }] }) },
  { name: 'AuthorizationPolicy: serviceAccounts with namespaces', build: c => allow(c, { from: [{ source: { serviceAccounts: ['shop/web'], namespaces: ['shop'] } }] }) },
  { name: 'AuthorizationPolicy: ipBlocks not an IP', build: c => allow(c, { from: [{ source: { ipBlocks: ['300.1.1.1'] } }] }) },
  { name: 'AuthorizationPolicy: notIpBlocks with a /33 mask', build: c => apWith(c, { action: 'DENY', rules: [{ from: [{ source: { notIpBlocks: ['10.0.0.0/33'] } }] }] }) },
  { name: 'AuthorizationPolicy: selector with an empty label key', build: c => ap(c, { selector: { matchLabels: { '': 'reviews' } }, action: 'ALLOW', rules: [{}] }) },
  {
    name: 'AuthorizationPolicy: rules as an object',
    build: c => apWith(c, { action: 'ALLOW', rules: { from: [{ source: { namespaces: ['shop'] } }] } }),
  },
  { name: 'AuthorizationPolicy: operation port not a number', build: c => allow(c, { to: [{ operation: { ports: ['http'] } }] }) },
  { name: 'AuthorizationPolicy: operation port > 65535', build: c => allow(c, { to: [{ operation: { ports: ['70000'] } }] }) },
  { name: 'AuthorizationPolicy: operation ports as numbers', build: c => allow(c, { to: [{ operation: { ports: [8080] } }] }) },
  { name: 'AuthorizationPolicy: empty operation', build: c => allow(c, { to: [{ operation: {} }] }) },
  { name: 'AuthorizationPolicy: empty method value', build: c => allow(c, { to: [{ operation: { methods: [''] } }] }) },
  { name: 'AuthorizationPolicy: path template `{**}` not last', build: c => allow(c, { to: [{ operation: { paths: ['/api/{**}/{*}'] } }] }) },
  { name: 'AuthorizationPolicy: condition without values', build: c => allow(c, { when: [{ key: 'request.headers[x-user]' }] }) },
  { name: 'AuthorizationPolicy: condition with an unknown key', build: c => allow(c, { when: [{ key: 'request.bogus', values: ['a'] }] }) },
  { name: 'AuthorizationPolicy: condition with an empty key', build: c => allow(c, { when: [{ key: '', values: ['a'] }] }) },
  { name: 'AuthorizationPolicy: source.ip condition not an IP', build: c => allow(c, { when: [{ key: 'source.ip', values: ['not-an-ip'] }] }) },
  {
    name: 'AuthorizationPolicy: selector and targetRefs',
    build: c => apWith(c, {
      action: 'ALLOW', targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }], rules: [{}],
    }),
  },
  { name: 'AuthorizationPolicy: typo `rule`', build: c => apWith(c, { action: 'ALLOW', rule: [{}] }) },
];

const telemetries: BrokenCase[] = [
  { name: 'Telemetry: sampling percentage > 100', build: c => tracing(c, { randomSamplingPercentage: 150 }) },
  { name: 'Telemetry: sampling percentage negative', build: c => tracing(c, { randomSamplingPercentage: -1 }) },
  { name: 'Telemetry: sampling percentage as a word', build: c => tracing(c, { randomSamplingPercentage: 'ten' }) },
  { name: 'Telemetry: typo `samplingPercentage`', build: c => tracing(c, { samplingPercentage: 10 }) },
  { name: 'Telemetry: tracing as an object', build: c => tel(c, { tracing: { providers: [{ name: 'zipkin' }] } }) },
  { name: 'Telemetry: tracing provider without name', build: c => tel(c, { tracing: [{ providers: [{}] }] }) },
  { name: 'Telemetry: access log provider without name', build: c => tel(c, { accessLogging: [{ providers: [{ name: '' }] }] }) },
  { name: 'Telemetry: empty literal custom tag', build: c => tracing(c, { customTags: { team: { literal: { value: '' } } } }) },
  { name: 'Telemetry: header custom tag without name', build: c => tracing(c, { customTags: { user: { header: {} } } }) },
  { name: 'Telemetry: UPSERT tag override without value', build: c => metricOverride(c, { tagOverrides: { team: { operation: 'UPSERT' } } }) },
  { name: 'Telemetry: REMOVE tag override with value', build: c => metricOverride(c, { tagOverrides: { team: { operation: 'REMOVE', value: 'shop' } } }) },
  { name: 'Telemetry: metric `REQUEST_COUNTT`', build: c => metricOverride(c, { match: { metric: 'REQUEST_COUNTT' }, disabled: true }) },
  { name: 'Telemetry: empty customMetric', build: c => metricOverride(c, { match: { customMetric: '' }, disabled: true }) },
  { name: 'Telemetry: access log filter not CEL', build: c => tel(c, { accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >>= 400' } }] }) },
  { name: 'Telemetry: selector label with wildcard', build: c => tel(c, { selector: { matchLabels: { app: 'reviews*' } }, tracing: [{ providers: [{ name: 'zipkin' }] }] }) },
];

const envoyFilters: BrokenCase[] = [
  { name: 'EnvoyFilter: patch without value', build: c => patch(c, { applyTo: 'HTTP_FILTER', match: hcmMatch, patch: { operation: 'INSERT_BEFORE' } }) },
  { name: 'EnvoyFilter: no patch', build: c => patch(c, { applyTo: 'HTTP_FILTER', match: hcmMatch }) },
  { name: 'EnvoyFilter: no applyTo', build: c => patch(c, { match: hcmMatch, patch: { operation: 'INSERT_BEFORE', value: luaFilter } }) },
  {
    name: 'EnvoyFilter: configPatches as an object',
    build: c => ef(c, {
      workloadSelector: { labels: { app: 'reviews' } }, configPatches: { applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_BEFORE', value: luaFilter } },
    }),
  },
  { name: 'EnvoyFilter: patch without operation', build: c => patch(c, { applyTo: 'HTTP_FILTER', match: hcmMatch, patch: { value: luaFilter } }) },
  { name: 'EnvoyFilter: applyTo `HTTP_FILTERS`', build: c => patch(c, { applyTo: 'HTTP_FILTERS', match: hcmMatch, patch: { operation: 'INSERT_BEFORE', value: luaFilter } }) },
  { name: 'EnvoyFilter: operation `INSERT`', build: c => patch(c, { applyTo: 'HTTP_FILTER', match: hcmMatch, patch: { operation: 'INSERT', value: luaFilter } }) },
  { name: 'EnvoyFilter: context `SIDECAR_IN`', build: c => patch(c, { applyTo: 'HTTP_FILTER', match: { ...hcmMatch, context: 'SIDECAR_IN' }, patch: { operation: 'INSERT_BEFORE', value: luaFilter } }) },
  {
    name: 'EnvoyFilter: applyTo LISTENER with a routeConfiguration match',
    build: c => patch(c, {
      applyTo: 'LISTENER', match: { routeConfiguration: { vhost: { name: 'reviews:80' } } }, patch: { operation: 'MERGE', value: { per_connection_buffer_limit_bytes: 1024 } },
    }),
  },
  {
    name: 'EnvoyFilter: applyTo CLUSTER with a listener match',
    build: c => patch(c, {
      applyTo: 'CLUSTER', match: { listener: { portNumber: 80 } }, patch: { operation: 'MERGE', value: { connect_timeout: '1s' } },
    }),
  },
  {
    name: 'EnvoyFilter: applyTo HTTP_ROUTE with a cluster match',
    build: c => patch(c, {
      applyTo: 'HTTP_ROUTE', match: { cluster: { service: 'reviews' } }, patch: { operation: 'MERGE', value: { timeout: '1s' } },
    }),
  },
  {
    name: 'EnvoyFilter: typo `match.listner`',
    build: c => patch(c, {
      applyTo: 'HTTP_FILTER', match: { context: 'SIDECAR_INBOUND', listner: { portNumber: 80 } }, patch: { operation: 'INSERT_BEFORE', value: luaFilter },
    }),
  },
  {
    name: 'EnvoyFilter: filter match without name',
    build: c => patch(c, {
      applyTo: 'NETWORK_FILTER', match: { listener: { filterChain: { filter: { subFilter: { name: 'envoy.filters.http.router' } } } } }, patch: { operation: 'INSERT_BEFORE', value: luaFilter },
    }),
  },
  {
    name: 'EnvoyFilter: unknown typed_config type',
    build: c => patch(c, {
      applyTo: 'HTTP_FILTER', match: hcmMatch, patch: { operation: 'INSERT_BEFORE', value: { name: 'x', typed_config: { '@type': 'type.googleapis.com/envoy.not.a.Type' } } },
    }),
  },
  {
    name: 'EnvoyFilter: invalid proxyVersion regex',
    build: c => patch(c, {
      applyTo: 'HTTP_FILTER', match: { ...hcmMatch, proxy: { proxyVersion: '^1\\.(2[0-9' } }, patch: { operation: 'INSERT_BEFORE', value: luaFilter },
    }),
  },
  {
    name: 'EnvoyFilter: workloadSelector and targetRefs',
    build: c => ef(c, {
      workloadSelector: { labels: { app: 'reviews' } },
      targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'public' }],
      configPatches: [{ applyTo: 'HTTP_FILTER', match: hcmMatch, patch: { operation: 'INSERT_BEFORE', value: luaFilter } }],
    }),
  },
];

export const BROKEN_CORPUS: BrokenCase[] = [
  ...virtualServices, ...destinationRules, ...gateways, ...serviceEntries, ...sidecars, ...workloadEntries,
  ...peerAuthentications, ...requestAuthentications, ...authorizationPolicies, ...telemetries, ...envoyFilters,
];

/** One valid object per kind, built with the same helpers: the corpus' control group. */
export const VALID_CONTROLS: BrokenCase[] = [
  { name: 'VirtualService', build: c => vsHttp(c, { timeout: '5s', retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' } }) },
  { name: 'DestinationRule', build: c => drWith(c, { subsets: [{ name: 'v1', labels: { version: 'v1' } }], trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }) },
  { name: 'Gateway', build: c => gwServers(c, server({}), server({ port: httpsPort, tls: { mode: 'SIMPLE', credentialName: 'shop-cert' } })) },
  { name: 'ServiceEntry', build: c => seWith(c, {}) },
  { name: 'Sidecar', build: c => sc(c, { egress: [egressAll] }) },
  { name: 'WorkloadEntry', build: c => we(c, { address: '10.0.0.5', labels: { app: 'vm' }, ports: { http: 8080 } }) },
  { name: 'PeerAuthentication', build: c => paWith(c, { mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }) },
  { name: 'RequestAuthentication', build: c => jwt(c, { ...issuer, audiences: ['shop'], fromHeaders: [{ name: 'authorization', prefix: 'Bearer ' }] }) },
  { name: 'AuthorizationPolicy', build: c => allow(c, { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'], ports: ['8080'] } }] }) },
  { name: 'Telemetry', build: c => tracing(c, { randomSamplingPercentage: 10 }) },
  { name: 'EnvoyFilter', build: c => patch(c, { applyTo: 'HTTP_FILTER', match: hcmMatch, patch: { operation: 'INSERT_BEFORE', value: luaFilter } }) },
];
