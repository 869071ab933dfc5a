import { IConstruct } from 'constructs';
import { fail, show } from './errors';

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
