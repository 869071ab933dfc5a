import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import {
  IngressGateway, JwtProtectedService, MeshIngress, RateLimit, RateLimitClient, RateLimitService, RateLimitUnit, ServiceReference, WorkloadSelector,
} from '../../src';
import { gitOpsSchemaErrors } from '../support/gitops-schemas';
import { ofKind, only, synth } from '../support/synth';

function app(namespace = 'api'): { c: Chart; api: kplus.Deployment; service: RateLimitService } {
  const c = new Chart(Testing.app(), 'rl', { namespace });
  const api = new kplus.Deployment(c, 'api', {
    metadata: { name: 'api' },
    podMetadata: { labels: { app: 'api' } },
    containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }] }],
  });
  new kplus.Service(c, 'api-svc', { metadata: { name: 'api' }, selector: api, ports: [{ port: 8000, targetPort: 8080, name: 'http' }] });
  const service = new RateLimitService(c, 'ratelimit');
  return { c, api, service };
}

const bucket = { maxTokens: 10, fillInterval: Duration.seconds(1) };

describe('RateLimit — local', () => {
  test('a sidecar: the filter at the inbound listener, the buckets and route actions on its virtual hosts', () => {
    const c = new Chart(Testing.app(), 'rl', { namespace: 'api' });
    const api = new kplus.Deployment(c, 'api', { podMetadata: { labels: { app: 'api' } }, containers: [{ image: 'api', ports: [{ number: 8080 }] }] });
    new RateLimit(c, 'api-limits', {
      workload: WorkloadSelector.fromWorkload(api),
      localLimits: { ...bucket, tokensPerFill: 5, routes: [{ name: 'login', pathPrefix: '/login', header: 'x-tenant', headerValue: 'free', maxTokens: 2, fillInterval: Duration.minutes(1) }] },
    });
    const ef = only(synth(c), 'EnvoyFilter');
    expect(ef.metadata).toMatchObject({ name: 'api-limits', namespace: 'api' });
    expect(ef.spec.priority).toBe(10);
    const [filter, vhost] = ef.spec.configPatches;
    expect(filter).toMatchObject({ applyTo: 'HTTP_FILTER', match: { context: 'SIDECAR_INBOUND' }, patch: { operation: 'INSERT_BEFORE', value: { name: 'envoy.filters.http.local_ratelimit' } } });
    expect(vhost.match).toEqual({ context: 'SIDECAR_INBOUND' });
    const config = vhost.patch.value.typed_per_filter_config['envoy.filters.http.local_ratelimit'];
    expect(config.token_bucket).toEqual({ max_tokens: 10, tokens_per_fill: 5, fill_interval: '1s' });
    expect(config.descriptors).toEqual([{ entries: [{ key: 'header_match', value: 'login' }], token_bucket: { max_tokens: 2, tokens_per_fill: 2, fill_interval: '60s' } }]);
    expect(vhost.patch.value.rate_limits).toEqual([{
      stage: 1,
      actions: [{
        header_value_match: {
          descriptor_value: 'login',
          expect_match: true,
          headers: [{ name: ':path', string_match: { prefix: '/login' } }, { name: 'x-tenant', string_match: { exact: 'free' } }],
        },
      }],
    }]);
  });

  test('an ingress host: the gateway\'s virtual host of that host and port only', () => {
    const c = new Chart(Testing.app(), 'rl', { namespace: 'shop' });
    const gw = new IngressGateway(c, 'gw', { namespace: 'istio-ingress' });
    const host = new MeshIngress(c, 'public', { gateway: gw }).addHost('shop.example.com', { credentialName: 'cert' });
    host.addRoute({ service: ServiceReference.fromHost('web.shop.svc.cluster.local', 80) });
    new RateLimit(c, 'edge', { ingressHosts: [host], localLimits: bucket });
    const ef = ofKind(synth(c), 'EnvoyFilter')[0];
    expect(ef.metadata.namespace).toBe('istio-ingress');
    expect(ef.spec.workloadSelector.labels).toEqual(gw.podLabels);
    expect(ef.spec.configPatches[1].match).toEqual({ context: 'GATEWAY', routeConfiguration: { portNumber: 443, vhost: { name: 'shop.example.com:443' } } });
  });

  test.each([
    [{ ...bucket, maxTokens: -1 }, /localLimits.maxTokens must be a whole number of at least 1, got -1/],
    [{ ...bucket, tokensPerFill: 0 }, /localLimits.tokensPerFill must be a whole number of at least 1, got 0/],
    [{ ...bucket, fillInterval: Duration.millis(0) }, /localLimits.fillInterval is 0ms; Envoy refills at most every 50ms/],
    [{ ...bucket, routes: [{ name: 'a', pathPrefix: '/a', ...bucket }, { name: 'a', pathPrefix: '/b', ...bucket }] }, /localLimits.routes\[1\].name 'a' is used twice/],
    [{ ...bucket, routes: [{ name: 'a', pathPrefix: '/a', ...bucket }, { name: 'b', pathPrefix: '/a', ...bucket }] }, /localLimits.routes\[1\] matches the same requests as 'a'/],
    [{ ...bucket, routes: [{ name: 'a', ...bucket }] }, /localLimits.routes\[0\] has neither pathPrefix nor header/],
    [{ ...bucket, routes: [{ name: 'a', pathPrefix: 'api', ...bucket }] }, /pathPrefix must start with '\/'/],
    [{ ...bucket, routes: [{ name: 'a', headerValue: 'x', pathPrefix: '/a', ...bucket }] }, /headerValue is set without header/],
  ])('out of range: %#', (local, error) => {
    const { c, api } = app();
    expect(() => new RateLimit(c, 'x', { workload: WorkloadSelector.fromWorkload(api), localLimits: local as any })).toThrow(error);
  });
});

describe('RateLimit — global', () => {
  test('the ratelimit filter asks the service; per-key and per-path limits become actions and the service\'s descriptors', () => {
    const { c, api, service } = app();
    const rl = new RateLimit(c, 'quota', {
      workload: WorkloadSelector.fromWorkload(api),
      globalLimits: {
        service,
        failClosed: true,
        limits: [
          { name: 'per-key', requestsPerUnit: 1000, unit: RateLimitUnit.HOUR, perClient: RateLimitClient.header('X-Api-Key') },
          { name: 'search', pathPrefix: '/search', requestsPerUnit: 100, unit: RateLimitUnit.MINUTE },
        ],
      },
    });
    expect(rl.domain).toBe('quota');
    const objects = synth(c);
    const ef = only(objects, 'EnvoyFilter');
    expect(ef.spec.configPatches[0].patch.value.typed_config).toMatchObject({
      domain: 'quota',
      failure_mode_deny: true,
      timeout: '0.1s',
      rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'outbound|8081||ratelimit.api.svc.cluster.local' } }, transport_api_version: 'V3' },
    });
    expect(ef.spec.configPatches[1].patch.value.rate_limits[0].actions).toEqual([
      { generic_key: { descriptor_key: 'limit', descriptor_value: 'per-key' } },
      { request_headers: { header_name: 'x-api-key', descriptor_key: 'client', skip_if_absent: true } },
    ]);
    const config = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === 'ratelimit-config');
    expect(YAML.parse(config.data['quota.yaml'])).toEqual({
      domain: 'quota',
      descriptors: [
        { key: 'limit', value: 'per-key', rate_limit: { unit: 'hour', requests_per_unit: 1000 }, descriptors: [{ key: 'client', rate_limit: { unit: 'hour', requests_per_unit: 1000 } }] },
        { key: 'limit', value: 'search', rate_limit: { unit: 'minute', requests_per_unit: 100 } },
      ],
    });
    expect(gitOpsSchemaErrors(objects.filter(o => ['Deployment', 'Service', 'ConfigMap'].includes(o.kind)))).toEqual([]);
  });

  test('per JWT subject: the claim jwt_authn stores; needs a RequestAuthentication on the same pods', () => {
    const { c, api, service } = app();
    new RateLimit(c, 'quota', {
      workload: WorkloadSelector.fromWorkload(api),
      globalLimits: { service, limits: [{ name: 'per-user', requestsPerUnit: 10, unit: RateLimitUnit.SECOND, perClient: RateLimitClient.jwtClaim() }] },
    });
    expect(() => Testing.synth(c)).toThrow(/limit 'per-user' counts per JWT claim 'sub', but no RequestAuthentication in this app validates tokens on these pods/);
    new JwtProtectedService(c, 'jwt', {
      selector: WorkloadSelector.fromWorkload(api),
      issuers: [{ issuer: 'https://auth.example.com', jwksUri: 'https://auth.example.com/jwks.json' }],
    });
    const ef = ofKind(synth(c), 'EnvoyFilter')[0];
    expect(ef.spec.configPatches[1].patch.value.rate_limits[0].actions[1]).toEqual({
      metadata: {
        descriptor_key: 'client',
        metadata_key: { key: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'sub' }] },
        source: 'DYNAMIC',
        skip_if_absent: true,
      },
    });
  });

  test.each([
    [{ limits: [] }, /globalLimits.limits is empty/],
    [{ limits: [{ name: 'a', requestsPerUnit: -5, unit: RateLimitUnit.MINUTE }] }, /globalLimits.limits\[0\].requestsPerUnit must be a whole number of at least 1, got -5/],
    [{ limits: [{ name: 'a', requestsPerUnit: 5, unit: RateLimitUnit.MINUTE }, { name: 'a', requestsPerUnit: 5, unit: RateLimitUnit.HOUR, pathPrefix: '/x' }] }, /name 'a' is used twice/],
    [{ limits: [{ name: 'a', requestsPerUnit: 5, unit: RateLimitUnit.MINUTE }, { name: 'b', requestsPerUnit: 5, unit: RateLimitUnit.HOUR }] }, /globalLimits.limits\[1\] counts the same requests as 'a'/],
    [{ limits: [{ name: 'Bad_Name', requestsPerUnit: 5, unit: RateLimitUnit.MINUTE }] }, /globalLimits.limits\[0\].name/],
    [{ limits: [{ name: 'a', requestsPerUnit: 5, unit: 'fortnight' }] }, /unit/],
  ])('out of range: %#', (global, error) => {
    const { c, api, service } = app();
    expect(() => new RateLimit(c, 'x', { workload: WorkloadSelector.fromWorkload(api), globalLimits: { service, ...global } as any })).toThrow(error);
  });

  test('two RateLimits cannot share a domain on one service', () => {
    const { c, api, service } = app();
    const limits = [{ name: 'a', requestsPerUnit: 5, unit: RateLimitUnit.MINUTE }];
    new RateLimit(c, 'one', { name: 'quota', workload: WorkloadSelector.fromWorkload(api), globalLimits: { service, limits } });
    expect(() => new RateLimit(c, 'two', { name: 'quota', workload: WorkloadSelector.fromLabels({ app: 'other' }), globalLimits: { service, limits } }))
      .toThrow(/rate limit domain 'quota' is already configured by RateLimit 'rl\/one'/);
  });

  test('two RateLimits on the same proxies would read each other\'s actions: an error', () => {
    const { c, api } = app();
    new RateLimit(c, 'one', { workload: WorkloadSelector.fromWorkload(api), localLimits: bucket });
    expect(() => new RateLimit(c, 'two', { workload: WorkloadSelector.fromWorkload(api), localLimits: bucket }))
      .toThrow(/limits the same proxies .* as RateLimit 'rl\/one'; .* Put all limits of these proxies in one RateLimit/);
  });
});

describe('RateLimit — placement', () => {
  test('exactly one of workload and ingressHosts, and at least one kind of limit', () => {
    const { c, api } = app();
    expect(() => new RateLimit(c, 'a', { localLimits: bucket })).toThrow(/set exactly one of workload .* and ingressHosts/);
    expect(() => new RateLimit(c, 'b', { workload: WorkloadSelector.fromWorkload(api) })).toThrow(/neither localLimits nor globalLimits/);
  });

  test('an ambient namespace has no sidecar to run the filters: an error', () => {
    const { c, api } = app();
    new kplus.Namespace(c, 'ns', { metadata: { name: 'api', labels: { 'istio.io/dataplane-mode': 'ambient' } } });
    new RateLimit(c, 'x', { workload: WorkloadSelector.fromWorkload(api), localLimits: bucket });
    expect(() => Testing.synth(c)).toThrow(/namespace 'api' is ambient, where pods have no sidecar/);
  });

  test('a RateLimitService nobody uses is an error', () => {
    const { c } = app();
    expect(() => Testing.synth(c)).toThrow(/RateLimitService 'rl\/ratelimit' has no domains/);
  });
});
