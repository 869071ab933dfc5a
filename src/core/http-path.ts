/**
 * Why Istio would match an AuthorizationPolicy path other than the user means, or undefined.
 * Envoy matches AuthorizationPolicy paths exactly, by prefix (`/api/*`), by suffix
 * (`*.html`), as presence (`*`) or by path template (`{*}`, `{**}`).
 * @internal
 */
export function pathProblem(path: string): string | undefined {
  if (path === '*') return undefined;
  const templated = /\{\*\*?\}/.test(path); // path templates: {*} one segment, {**} the rest
  if (!path.startsWith('/') && !(path.startsWith('*') && !path.slice(1).includes('*'))) {
    return 'paths must start with \'/\' (or be a \'*\' suffix match like \'*.html\'); Envoy compares the path as written, so it matches nothing.';
  }
  if (templated) return undefined;
  const stars = path.split('*').length - 1;
  if (stars === 0 || (stars === 1 && (path.endsWith('*') || path.startsWith('*')))) return undefined;
  return '\'*\' only works as a whole prefix (\'/api/*\'), a whole suffix (\'*.html\') or alone; elsewhere it is a literal character. '
    + 'Use a path template (\'/api/{*}/edit\') or several paths.';
}
