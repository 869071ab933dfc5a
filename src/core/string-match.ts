import { IConstruct } from 'constructs';
import { checkArguments } from './arguments';
import { checkRe2 } from './re2';

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
 *
 * @example
 * const user = StringMatch.exact('jason');
 * const api = StringMatch.prefix('/api/');
 * const version = StringMatch.regex('v[0-9]+');
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

