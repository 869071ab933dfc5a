import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DataPlane, DataPlaneMode } from './data-plane';
import { StringMatch, StringMatchKind } from './string-match';

/**
 * What an intent promises a request does, in the vocabulary of the semantics
 * harness (go/semantics): the harness sends the request through the Envoy
 * config istiod generates for the synthesized YAML and compares the named
 * fields of the outcome. Never applied to a cluster; not part of the API.
 */
export interface Expectation {
  /** One sentence a reviewer can check against the intent's props. */
  readonly promise: string;
  readonly request: ExpectedRequest;
  /** The outcome fields promised (others are not compared); objects compare on the keys given, weights whole. */
  readonly expect: ExpectedOutcome;
}

/** Exactly one entry: a mesh client (`from` only), the world through a gateway (`via`), or a workload's own port (`to`). */
export interface ExpectedRequest {
  /** The caller; its service account is its mTLS identity. */
  readonly from?: { readonly namespace: string; readonly serviceAccount?: string; readonly outsideMesh?: boolean };
  /** The ingress gateway the request enters through: its Service, or the labels of gateway pods the app does not deploy. */
  readonly via?: { readonly namespace: string; readonly service?: string; readonly labels?: { readonly [key: string]: string } };
  /** Pods (by labels) whose own port is called directly, e.g. for authorization promises. */
  readonly to?: { readonly namespace: string; readonly labels: { readonly [key: string]: string } };
  readonly scheme?: 'http' | 'https';
  readonly host: string;
  readonly port?: number;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: { readonly [name: string]: string };
  /** The client speaks TLS itself (SNI = host): an opaque stream the proxies route by SNI. */
  readonly tls?: boolean;
  /** Send it this many times at once (no time passes between them); the outcome is the last one's. @default 1 */
  readonly repeat?: number;
  /** A JWT the harness signs with its test issuer key (`forged`: with a key no JWKS holds). */
  readonly token?: { readonly claims: { readonly [claim: string]: unknown }; readonly forged?: boolean };
}

/** Fields of the harness's Outcome (go/semantics/outcome.go). */
export interface ExpectedOutcome {
  /** 200 when a workload answers, 0 when the connection is refused. */
  readonly status?: number;
  readonly redirect?: string;
  /** Percent of requests per destination: its subset, else its host. */
  readonly weights?: { readonly [destination: string]: number };
  readonly host?: string;
  readonly responseHeaders?: { readonly [destination: string]: { readonly [header: string]: string } };
  readonly connection?: 'mtls' | 'plaintext' | 'refused';
  /** The request arrived at a destination workload (its proxy accepted it), whatever its policies decide. */
  readonly delivered?: boolean;
  readonly token?: string;
  /** Each AuthorizationPolicy at the destination on its own: 'allows' | 'denies' | 'no match'. */
  readonly policies?: { readonly [policy: string]: 'allows' | 'denies' | 'no match' };
  readonly delay?: { readonly fixed: string; readonly percent: number } | null;
  readonly abort?: { readonly status: number; readonly percent: number } | null;
  readonly mirror?: { readonly name: string; readonly percent: number };
  readonly timeout?: string;
  readonly retries?: { readonly attempts?: number; readonly perTryTimeout?: string; readonly retryOn?: string };
  readonly circuitBreaker?: { readonly [field: string]: number | string };
  readonly via?: string[];
  /** The local token buckets the request took a token from ('<name>: <max> tokens, +<n> every <interval>'), and how many of a repeated request passed. */
  readonly localRateLimit?: { readonly buckets?: string[]; readonly passed?: number };
  /** What the proxy asks the global rate limit service: its domain, the descriptors, and the limits its configuration holds for them. */
  readonly rateLimit?: { readonly domain?: string; readonly descriptors?: string[][]; readonly limits?: string[] };
  /** How each proxy passed (namespace/deployment) traces: `<collector host> <sampling>%`, or 'off'. */
  readonly tracing?: { readonly [proxy: string]: string };
  readonly upstream?: { readonly host?: string; readonly port?: number; readonly tls?: string; readonly sni?: string };
}

/** An expectation with the construct path that promises it. */
export interface PromisedExpectation extends Expectation {
  readonly by: string;
}

const producers = new WeakMap<IConstruct, Array<() => Expectation[]>>();

/**
 * Registers what a construct promises. The producer runs when expectations are
 * collected (after synth), so it sees the construct's final state.
 */
export function promise(scope: IConstruct, producer: () => Expectation[]): void {
  const list = producers.get(scope) ?? [];
  list.push(producer);
  producers.set(scope, list);
}

/**
 * Every promise of the constructs under `root`, in tree order, but those about ambient
 * namespaces: the harness simulates sidecars and gateways, not ztunnel and waypoints.
 */
export function collectExpectations(root: IConstruct): PromisedExpectation[] {
  const modes = new Map<string, DataPlaneMode>();
  const ambient = (ns: string | undefined) => {
    if (ns === undefined) return false;
    if (!modes.has(ns)) modes.set(ns, DataPlane.of(root, ns));
    return modes.get(ns) === DataPlaneMode.AMBIENT;
  };
  const hostNamespace = (host: string | undefined) => host?.match(/^[^.]+\.([^.]+)\.svc\.cluster\.local$/)?.[1];
  const sidecarOnly = (e: Expectation) => !ambient(e.request.from?.namespace) && !ambient(e.request.to?.namespace)
    && !ambient(hostNamespace(e.request.host)) && !ambient(hostNamespace(e.expect.host));
  return root.node.findAll().flatMap(c => (producers.get(c) ?? []).flatMap(p => p().filter(sidecarOnly).map(e => ({ by: c.node.path, ...e }))));
}

/**
 * A value the match accepts, to put in a request; undefined for a regex (no
 * sample can be derived without guessing, so no promise is made for it).
 */
function sampleOf(match: StringMatch): string | undefined {
  switch (match.kind) {
    case StringMatchKind.EXACT: return match.value;
    case StringMatchKind.PREFIX: return `${match.value}semantics`;
    default: return undefined;
  }
}

/** A request path a path match accepts ('/reviews' → '/reviews/1'; exact paths as they are). */
export function samplePath(match: StringMatch | undefined): string | undefined {
  if (!match) return '/';
  switch (match.kind) {
    case StringMatchKind.EXACT: return match.value;
    case StringMatchKind.PREFIX: return match.value.endsWith('/') ? `${match.value}1` : `${match.value}/1`;
    default: return undefined;
  }
}

/** A request path an AuthorizationPolicy path accepts ('/api/*' → '/api/semantics', '*.json' → '/semantics.json'). */
export function samplePolicyPath(path: string): string {
  return path.replace(/\*$/, 'semantics').replace(/^\*/, '/semantics');
}

/** A duration as the harness reports it ('3s', '0.5s'). */
export function durationText(d: Duration): string {
  return `${d.toSeconds({ integral: false })}s`;
}

/** The retry policy a route promises, in the harness's terms. */
export function retriesOutcome(r: { readonly attempts: number; readonly perTryTimeout?: Duration; readonly retryOn?: string[] }): ExpectedOutcome['retries'] {
  return {
    attempts: r.attempts,
    ...(r.perTryTimeout ? { perTryTimeout: durationText(r.perTryTimeout) } : {}),
    ...(r.retryOn?.length ? { retryOn: r.retryOn.join(',') } : {}),
  };
}

/** Headers as a sentence shows them ('end-user: jason'). */
export function headersText(headers: { readonly [name: string]: string }): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join(', ');
}

/** A value for each header match, or undefined when one cannot be sampled (a regex). */
export function sampleHeaders(matches: { readonly [name: string]: StringMatch }): { [name: string]: string } | undefined {
  const out: { [name: string]: string } = {};
  for (const [name, match] of Object.entries(matches)) {
    const value = sampleOf(match);
    if (value === undefined) return undefined;
    out[name] = value;
  }
  return out;
}
