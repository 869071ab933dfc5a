import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { istioDuration } from '../../src/core/duration';
import { checkDns1123Label, checkHost, checkLabels } from '../../src/core/names';
import { StringMatch } from '../../src/core/string-match';
import { WorkloadSelector } from '../../src/core/workload-selector';

const scope = () => new Construct(new Chart(Testing.app(), 'c'), 'thing');

describe('istioDuration', () => {
  test.each([
    [Duration.millis(250), '250ms'],
    [Duration.seconds(7), '7s'],
    [Duration.seconds(90), '90s'],
    [Duration.minutes(2), '2m'],
    [Duration.hours(1), '1h'],
    [Duration.millis(1500), '1500ms'],
  ])('%s renders as %s', (d, expected) => {
    expect(istioDuration(scope(), 'timeout', d)).toBe(expected);
  });

  test('rejects sub-millisecond durations with the prop name', () => {
    expect(() => istioDuration(scope(), 'timeout', Duration.millis(0.5))).toThrow(/Construct 'c\/thing': timeout must be a whole number of milliseconds of at least 1ms, got 0.5ms/);
  });
});

describe('StringMatch', () => {
  test('renders exact, prefix and regex with Istio field names', () => {
    expect(StringMatch.exact('jason')._render(scope(), 'p')).toEqual({ exact: 'jason' });
    expect(StringMatch.prefix('/api')._render(scope(), 'p')).toEqual({ prefix: '/api' });
    expect(StringMatch.regex('^v[0-9]+$')._render(scope(), 'p')).toEqual({ regex: '^v[0-9]+$' });
  });

  test('accepts RE2 named groups', () => {
    expect(StringMatch.regex('(?P<ver>v[0-9]+)')._render(scope(), 'p')).toEqual({ regex: '(?P<ver>v[0-9]+)' });
  });

  test('rejects lookahead, which RE2 does not support', () => {
    expect(() => StringMatch.regex('^(?!admin).*')._render(scope(), 'match.uri')).toThrow(/match.uri uses lookahead\/lookbehind, which RE2 .* does not support/);
  });

  test('rejects backreferences', () => {
    expect(() => StringMatch.regex('(a)\\1')._render(scope(), 'match.uri')).toThrow(/uses backreferences/);
  });

  test('rejects a regex that does not compile', () => {
    expect(() => StringMatch.regex('([a-z')._render(scope(), 'match.uri')).toThrow(/match.uri is not a valid regular expression/);
  });
});

describe('names', () => {
  test('accepts DNS-1123 labels and rejects others with a suggestion', () => {
    expect(checkDns1123Label(scope(), 'name', 'reviews-v2')).toBe('reviews-v2');
    expect(() => checkDns1123Label(scope(), 'name', 'Reviews_V2')).toThrow(/name must be a DNS-1123 label .* got 'Reviews_V2'. Rename it, e.g. 'reviews-v2'/);
  });

  test('label values must be valid', () => {
    expect(() => checkLabels(scope(), 'labels', { version: 'v 2' })).toThrow(/labels.version must be a valid label value .* got 'v 2'/);
  });

  test('label keys must be valid', () => {
    expect(() => checkLabels(scope(), 'labels', { 'bad key': 'x' })).toThrow(/labels has an invalid label key 'bad key'/);
  });

  test('hosts: FQDN, wildcard and short names are accepted', () => {
    expect(checkHost(scope(), 'host', 'reviews.prod.svc.cluster.local')).toBeDefined();
    expect(checkHost(scope(), 'host', '*.example.com')).toBeDefined();
    expect(checkHost(scope(), 'host', 'reviews')).toBeDefined();
  });

  test('empty host is rejected', () => {
    expect(() => checkHost(scope(), 'hosts[0]', '')).toThrow(/hosts\[0\] must not be an empty host/);
  });

  test('invalid host is rejected', () => {
    expect(() => checkHost(scope(), 'hosts[0]', 'shop_example.com')).toThrow(/hosts\[0\] must be a DNS name .* got 'shop_example.com'/);
  });

  test('wildcards can be forbidden', () => {
    expect(() => checkHost(scope(), 'destination.host', '*.example.com', { allowWildcard: false })).toThrow(/destination.host must not be a wildcard host/);
  });
});

describe('WorkloadSelector', () => {
  test('labels getter returns a copy', () => {
    const s = WorkloadSelector.fromLabels({ app: 'reviews' });
    s.labels.app = 'changed';
    expect(s.labels).toEqual({ app: 'reviews' });
  });

  test('an empty selector is rejected', () => {
    expect(() => WorkloadSelector.fromLabels({})._render(scope(), 'selector')).toThrow(/selector has no labels/);
  });
});
