import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { fail, show } from './errors';

/** How a `StringMatch` compares. */
export enum StringMatchKind {
  /** The whole value equals the string. */
  EXACT = 'exact',
  /** The value starts with the string. */
  PREFIX = 'prefix',
  /** The whole value matches an RE2 regular expression. */
  REGEX = 'regex',
}

/**
 * A string comparison used by Istio matches (URI, headers, query parameters, CORS origins).
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch
 */
export class StringMatch {
  /** Matches the whole value exactly. */
  public static exact(value: string): StringMatch {
    checkArguments(undefined, 'StringMatch', 'exact', arguments);
    return new StringMatch(StringMatchKind.EXACT, value);
  }

  /** Matches values that start with `value`. */
  public static prefix(value: string): StringMatch {
    checkArguments(undefined, 'StringMatch', 'prefix', arguments);
    return new StringMatch(StringMatchKind.PREFIX, value);
  }

  /**
   * Matches the whole value against an RE2 regular expression
   * (Envoy anchors it: `v[0-9]` does not match `xv1`).
   */
  public static regex(pattern: string): StringMatch {
    checkArguments(undefined, 'StringMatch', 'regex', arguments);
    return new StringMatch(StringMatchKind.REGEX, pattern);
  }

  private constructor(
    /** How the value is compared. */
    public readonly kind: StringMatchKind,
    /** The string or pattern compared against. */
    public readonly value: string) {}

  /** @internal */
  public _render(scope: IConstruct, prop: string): { [key: string]: string } {
    if (this.kind === StringMatchKind.REGEX) checkRe2(scope, prop, this.value);
    return { [this.kind]: this.value };
  }
}

/**
 * Rejects what RE2 (Envoy's regex engine) does not support and what does not
 * compile at all. RE2 has no lookaround, no backreferences and no possessive or atomic groups.
 * @internal
 */
export function checkRe2(scope: IConstruct, prop: string, pattern: string): void {
  const unsupported: Array<[RegExp, string]> = [
    [/\(\?<?[=!]/, 'lookahead/lookbehind'],
    [/\\[1-9]/, 'backreferences'],
    [/\\k</, 'named backreferences'],
    [/\(\?>/, 'atomic groups'],
    [/[*+?}]\+/, 'possessive quantifiers'],
  ];
  for (const [re, what] of unsupported) {
    if (re.test(pattern)) {
      fail(scope, `${prop} uses ${what}, which RE2 (Envoy's regex engine) does not support: ${show(pattern)}. Rewrite it without ${what}.`);
    }
  }
  try {
    // RE2's named-group syntax (?P<name>) is not JS syntax; translate it before trying.
    new RegExp(pattern.replace(/\(\?P</g, '(?<'));
  } catch (e) {
    fail(scope, `${prop} is not a valid regular expression: ${show(pattern)} (${(e as Error).message}).`);
  }
}

/** Renders a `{ name: StringMatch }` map. @internal */
export function renderMatchMap(scope: IConstruct, prop: string, map: { [key: string]: StringMatch } | undefined): any {
  if (map === undefined) return undefined;
  const out: { [key: string]: any } = {};
  for (const [k, v] of Object.entries(map)) out[k] = v._render(scope, `${prop}.${k}`);
  return out;
}
