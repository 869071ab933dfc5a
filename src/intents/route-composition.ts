import { IConstruct } from 'constructs';
import { describe, show } from '../core/errors';
import { nameFromId } from '../core/names';
import { StringMatch, StringMatchKind } from '../core/string-match';
import { HttpFault, HttpMatch, HttpRoute } from '../resources/http-route';

/**
 * Pure functions that turn the contributions to one host into ordered HTTP
 * routes. The order is part of the contract (README, "How intents combine"):
 *
 * 1. faults for matched requests, each crossed with the routes below so the
 *    faulted request still goes where it would have gone;
 * 2. the canary's A/B header match, 3. its sticky-cookie match,
 * 4. the default route (weighted split, mirror).
 *
 * A fault for all requests rides on every route; timeout and retries too.
 * @internal
 */

/** A contribution with the construct that made it (named in conflict errors). @internal */
export interface Owned<T> {
  readonly owner: IConstruct;
  readonly value: T;
}

/** A fault one intent asks for. @internal */
export interface FaultRule {
  /** Requests with these headers get the fault; undefined: all requests. */
  readonly headers?: { [name: string]: StringMatch };
  readonly fault: HttpFault;
}

/** A route before faults, timeouts and outer matches apply; `owner` made its match. @internal */
export interface BaseRoute {
  readonly route: HttpRoute;
  readonly owner?: IConstruct;
}

/** The outcome of AND-ing two matches: a match, none possible, or a conflict we cannot express. */
type Conjunction = { match: HttpMatch | undefined } | { impossible: true } | { conflict: string };

/**
 * AND of two single matches. Only the fields intents produce (uri, headers) are
 * combined; equal conditions merge, two exact values that differ can never both
 * hold, anything else is a conflict the caller reports.
 */
export function conjoin(a: HttpMatch | undefined, b: HttpMatch | undefined): Conjunction {
  if (!a) return { match: b };
  if (!b) return { match: a };
  const uri = combineOne('uri', a.uri, b.uri);
  if ('impossible' in uri || 'conflict' in uri) return uri;
  const headers: { [name: string]: StringMatch } = { ...a.headers };
  for (const [name, m] of Object.entries(b.headers ?? {})) {
    const merged = combineOne(`header ${show(name)}`, headers[name], m);
    if ('impossible' in merged || 'conflict' in merged) return merged;
    headers[name] = merged.value!;
  }
  const match: HttpMatch = { ...a, ...b, uri: uri.value, headers: Object.keys(headers).length ? headers : undefined };
  return { match: Object.fromEntries(Object.entries(match).filter(([, v]) => v !== undefined)) as HttpMatch };
}

function combineOne(what: string, a: StringMatch | undefined, b: StringMatch | undefined):
{ value: StringMatch | undefined } | { impossible: true } | { conflict: string } {
  if (!a) return { value: b };
  if (!b) return { value: a };
  if (a.kind === b.kind && a.value === b.value) return { value: a };
  if (a.kind === StringMatchKind.EXACT && b.kind === StringMatchKind.EXACT) return { impossible: true };
  return { conflict: `both match ${what} (${a.kind} ${show(a.value)} and ${b.kind} ${show(b.value)}), and one Istio match holds one condition per ${what.split(' ')[0]}` };
}

/** Routes for one host: faults (see the order above), then `base`; `timeout`/`retries` on every route. */
export function composeRoutes(base: BaseRoute[], faults: Owned<FaultRule>[], common: Partial<HttpRoute>): HttpRoute[] {
  const forAll = faults.find(f => !f.value.headers);
  const withCommon = (r: HttpRoute): HttpRoute => strip({ ...r, ...strip(common) });
  const routes = base.map(b => ({ ...b, route: forAll ? { ...b.route, fault: forAll.value.fault } : b.route }));
  const out: HttpRoute[] = [];
  for (const f of faults.filter(x => x.value.headers)) {
    for (const b of routes) {
      const both = conjoin({ headers: f.value.headers }, b.route.match?.[0]);
      if ('impossible' in both) continue;
      if ('conflict' in both) {
        throw new Error(`${describe(f.owner)} and ${describe(b.owner!)} cannot be combined on one host: they ${both.conflict}. Match different headers, or express both in one route.`);
      }
      out.push(withCommon({ ...b.route, name: routeName(f.owner, b.route.name), match: [both.match!], fault: mergeFaults(forAll, f) }));
    }
  }
  return [...out, ...routes.map(b => withCommon(b.route))];
}

/** A matched fault plus the fault for all requests (which rides on every route): one delay and one abort at most. */
function mergeFaults(forAll: Owned<FaultRule> | undefined, matched: Owned<FaultRule>): HttpFault {
  if (!forAll) return matched.value.fault;
  const a = forAll.value.fault;
  const b = matched.value.fault;
  const both = (a.delay && b.delay) ? 'delay' : (a.abort && b.abort) ? 'abort' : undefined;
  if (both) {
    throw new Error(`${describe(matched.owner)} and ${describe(forAll.owner)} both inject a ${both} into the same requests; Istio holds one ${both} per route. `
      + 'Give the matched requests theirs only by matching headers in both, or combine them.');
  }
  return { delay: a.delay ?? b.delay, abort: a.abort ?? b.abort };
}

/** Routes for requests that also match `outer` (an ingress path): every route gets it AND-ed into its match. */
export function underMatch(routes: HttpRoute[], outer: HttpMatch, outerOwner: IConstruct,
  hostOwner: (r: HttpRoute) => IConstruct | undefined): HttpRoute[] {
  const out: HttpRoute[] = [];
  for (const r of routes) {
    const both = conjoin(outer, r.match?.[0]);
    if ('impossible' in both) continue;
    if ('conflict' in both) {
      const other = hostOwner(r);
      throw new Error(`${describe(outerOwner)} routes to a host whose route ${show(r.name)}${other ? ` (from ${describe(other)})` : ''} cannot be combined with it: they ${both.conflict}.`);
    }
    out.push({ ...r, match: [both.match!] });
  }
  return out;
}

/** A fault route's name: the fault's id, then the route it rides on (`reviews-chaos-primary`). @internal */
export function routeName(owner: IConstruct, base: string | undefined): string {
  const id = nameFromId(owner.node.id);
  return base ? `${id}-${base}` : id;
}

/** `o` without its undefined fields (so a spread cannot blank a field another set). @internal */
export function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
