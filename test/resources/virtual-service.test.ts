import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { Gateway, GatewayReference, PortProtocol, StringMatch, VirtualService } from '../../src';
import { collectExpectations } from '../../src/core/expectations';
import { chart, only, synth, partialChart } from '../support/synth';

const host = 'reviews.default.svc.cluster.local';

describe('VirtualService', () => {
  test('renders networking.istio.io/v1 with header routing and weighted split', () => {
    const c = partialChart();
    new VirtualService(c, 'reviews', {
      metadata: { name: 'reviews' },
      hosts: [host],
      http: [
        { match: [{ headers: { 'end-user': StringMatch.exact('jason') } }], route: [{ destination: { host, subset: 'v2' } }] },
        { route: [{ destination: { host, subset: 'v1' }, weight: 50 }, { destination: { host, subset: 'v3' }, weight: 50 }] },
      ],
    });
    const vs = only(synth(c), 'VirtualService');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(vs.metadata).toEqual({ name: 'reviews', namespace: 'default' });
    expect(vs.spec.http[0].match[0].headers['end-user']).toEqual({ exact: 'jason' });
    expect(vs.spec.http[1].route.map((r: any) => r.weight)).toEqual([50, 50]);
    expect(vs).toMatchSnapshot();
  });

  test('renders every HTTP feature with Istio field names (no deprecated fields)', () => {
    const c = partialChart();
    const vs = new VirtualService(c, 'full', {
      hosts: ['ratings'],
      exportTo: ['.'],
      http: [{
        name: 'all',
        match: [{
          uri: StringMatch.prefix('/api'),
          scheme: StringMatch.exact('https'),
          method: StringMatch.exact('GET'),
          authority: StringMatch.regex('.*\\.example\\.com'),
          queryParams: { v: StringMatch.exact('2') },
          withoutHeaders: { 'x-skip': StringMatch.exact('1') },
          ignoreUriCase: true,
          port: 9080,
          sourceLabels: { app: 'productpage' },
          sourceNamespace: 'default',
          gateways: ['mesh'],
          name: 'm',
        }],
        route: [{ destination: { host: 'ratings', port: 9080 }, headers: { request: { set: { 'x-a': '1' } }, response: { remove: ['server'] } } }],
        rewrite: { uri: '/v2' },
        timeout: Duration.seconds(10),
        retries: { attempts: 3, perTryTimeout: Duration.seconds(2), retryOn: ['5xx', 'connect-failure'] },
        fault: { delay: { fixedDelay: Duration.seconds(7), percentage: 100 }, abort: { httpStatus: 500, percentage: 10 } },
        mirror: { host: 'ratings', subset: 'v2' },
        mirrorPercentage: 25,
        corsPolicy: { allowOrigins: [StringMatch.exact('https://example.com')], allowMethods: ['GET'], maxAge: Duration.hours(24), allowCredentials: true },
        headers: { request: { add: { 'x-b': '2' } } },
      }],
    });
    const spec = only(synth(c), 'VirtualService').spec;
    const r = spec.http[0];
    expect(r.timeout).toBe('10s');
    expect(r.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx,connect-failure' });
    expect(r.fault.delay).toEqual({ fixedDelay: '7s', percentage: { value: 100 } });
    expect(r.fault.delay.percent).toBeUndefined();
    expect(r.mirrorPercentage).toEqual({ value: 25 });
    expect(r.mirrorPercent).toBeUndefined();
    expect(r.corsPolicy.maxAge).toBe('24h');
    expect(r.route[0].destination.port).toEqual({ number: 9080 });
    expect(vs.hosts).toEqual(['ratings']);
  });

  test('redirect, directResponse, delegate, tls and tcp routes', () => {
    const c = partialChart();
    new VirtualService(c, 'misc', {
      hosts: ['shop.example.com'],
      gateways: [GatewayReference.fromName('public', 'istio-ingress')],
      http: [
        { match: [{ uri: StringMatch.exact('/old') }], redirect: { uri: '/new', redirectCode: 302 } },
        { match: [{ uri: StringMatch.exact('/ping') }], directResponse: { status: 200, body: 'pong' } },
        { delegateTo: { name: 'shop-routes', namespace: 'shop' } },
      ],
      tls: [{ match: [{ sniHosts: ['shop.example.com'], port: 443 }], route: [{ destination: { host: 'shop.shop.svc.cluster.local', port: 443 } }] }],
      tcp: [{ match: [{ port: 27017 }], route: [{ destination: { host: 'mongo', port: 27017 } }] }],
    });
    const spec = only(synth(c), 'VirtualService').spec;
    expect(spec.gateways).toEqual(['istio-ingress/public']);
    expect(spec.http[1].directResponse).toEqual({ status: 200, body: { string: 'pong' } });
    expect(spec.http[2].delegate).toEqual({ name: 'shop-routes', namespace: 'shop' });
    expect(spec.tls[0].match[0].sniHosts).toEqual(['shop.example.com']);
    expect(spec.tcp[0].route[0].destination.port).toEqual({ number: 27017 });
  });

  test('binds a Gateway construct as namespace/name and mesh', () => {
    const c = chart('istio-ingress');
    const gw = new Gateway(c, 'gw', { metadata: { name: 'public' }, selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, protocol: PortProtocol.HTTP }, hosts: ['*'] }] });
    const vs = new VirtualService(c, 'vs', { hosts: ['a.example.com'], gateways: [GatewayReference.fromGateway(gw), GatewayReference.mesh()], http: [{ route: [{ destination: { host: 'a' } }] }] });
    expect(vs.gateways).toEqual(['istio-ingress/public', 'mesh']);
  });

  test('add methods append after construction', () => {
    const c = chart();
    const vs = new VirtualService(c, 'vs', { hosts: ['a'] });
    vs.addHttpRoute({ route: [{ destination: { host: 'a' } }] });
    expect(only(synth(c), 'VirtualService').spec.http).toHaveLength(1);
  });

  test('escape hatch: a JSON patch on an unknown field survives synthesis', () => {
    const c = chart();
    const vs = new VirtualService(c, 'vs', { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] });
    vs.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/owner': 'team-a' }));
    ApiObject.of(vs).addJsonPatch(JsonPatch.add('/spec/http/0/name', 'patched'));
    const out = only(synth(c), 'VirtualService');
    expect(out.metadata.annotations).toEqual({ 'example.com/owner': 'team-a' });
    expect(out.spec.http[0].name).toBe('patched');
    expect(ApiObject.of(vs)).toBe(vs); // the resource is the ApiObject it renders
    vs.metadata.addLabel('team', 'a');
    expect(only(synth(c), 'VirtualService').metadata.labels).toEqual({ team: 'a' });
  });

  describe('rejects bad input', () => {
    const make = (http: any) => () => new VirtualService(chart(), 'vs', { hosts: ['a'], http: [http] });
    test('no hosts', () => {
      expect(() => new VirtualService(chart(), 'vs', { hosts: [] })).toThrow(/VirtualService 'test\/vs': hosts must name at least one host/);
    });
    test('negative weight', () => {
      expect(make({ route: [{ destination: { host: 'a' }, weight: -1 }] })).toThrow(/http\[0\]\.route\[0\]\.weight must be a non-negative integer, got -1/);
    });
    test('all-zero weights', () => {
      expect(make({ route: [{ destination: { host: 'a', subset: 'x' }, weight: 0 }, { destination: { host: 'a', subset: 'y' }, weight: 0 }] })).toThrow(/weights are all 0/);
    });
    test('missing weight with several destinations', () => {
      expect(make({ route: [{ destination: { host: 'a', subset: 'x' }, weight: 10 }, { destination: { host: 'a', subset: 'y' } }] })).toThrow(/every destination needs a weight/);
    });
    test('percentage outside 0-100', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], fault: { abort: { httpStatus: 500, percentage: 120 } } })).toThrow(/fault.abort.percentage must be a percentage between 0 and 100, got 120/);
    });
    test('no action', () => {
      expect(make({ match: [] })).toThrow(/must have exactly one of route, redirect, directResponse or delegateTo, got none/);
    });
    test('two actions', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], directResponse: { status: 200 } })).toThrow(/got route and directResponse/);
    });
    test('mirror and mirrors', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], mirror: { host: 'b' }, mirrors: [{ destination: { host: 'c' } }] })).toThrow(/sets both mirror and mirrors/);
    });
    test('mirrorPercentage without mirror', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], mirrorPercentage: 10 })).toThrow(/mirrorPercentage is set without mirror/);
    });
    test('abort without a status', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], fault: { abort: { percentage: 10 } } })).toThrow(/fault.abort needs exactly one of httpStatus or grpcStatus/);
    });
    test('wildcard destination host', () => {
      expect(make({ route: [{ destination: { host: '*.example.com' } }] })).toThrow(/destination.host must not be a wildcard host/);
    });
    test('invalid regex in a match', () => {
      expect(make({ match: [{ uri: StringMatch.regex('(?<=x)y') }], route: [{ destination: { host: 'a' } }] })).toThrow(/http\[0\]\.match\[0\]\.uri uses lookahead\/lookbehind/);
    });
    test('invalid redirect code', () => {
      expect(make({ redirect: { uri: '/x', redirectCode: 200 } })).toThrow(/redirectCode must be a 3xx status, got 200/);
    });
    test('uri and uriRegexRewrite together', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], rewrite: { uri: '/', uriRegexRewrite: { match: '^/x', rewrite: '/' } } })).toThrow(/sets both uri and uriRegexRewrite/);
    });
    test('negative retry attempts', () => {
      expect(make({ route: [{ destination: { host: 'a' } }], retries: { attempts: -1 } })).toThrow(/retries.attempts must be a non-negative integer/);
    });
    test('invalid object name', () => {
      expect(() => new VirtualService(chart(), 'vs', { metadata: { name: 'Bad_Name' }, hosts: ['a'] })).toThrow(/metadata.name must be a DNS-1123 subdomain .* got 'Bad_Name'/);
    });
  });
});

describe('VirtualService redirect promises (proven by npm run semantics)', () => {
  test('a path-only redirect promises its Location; one an earlier rule shadows, or one changing more than the path, promises nothing', () => {
    const c = partialChart('shop');
    new ApiObject(c, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 8080 }] } });
    new VirtualService(c, 'vs', {
      hosts: ['web.shop.svc.cluster.local'],
      http: [
        { match: [{ uri: StringMatch.exact('/old') }], redirect: { uri: '/new', redirectCode: 302 } },
        { match: [{ uri: StringMatch.prefix('/old') }], redirect: { prefixRewrite: '/v2' } },
        { match: [{ uri: StringMatch.prefix('/docs/') }], redirect: { authority: 'docs.example.com' } },
        { match: [{ uri: StringMatch.prefix('/old/') }], redirect: { prefixRewrite: '/x/' } },
      ],
    });
    expect(collectExpectations(c).map(e => [e.promise, e.request.port, e.expect.status, e.expect.redirect])).toEqual([
      ['http[0]: /old is redirected to /new', 8080, 302, 'http://web.shop.svc.cluster.local/new'],
      ['http[1]: /old/1 is redirected to /v2/1', 8080, 301, 'http://web.shop.svc.cluster.local/v2/1'],
    ]);
  });
});
