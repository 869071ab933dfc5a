import { IConstruct } from 'constructs';
import { fail, show } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const HOST_LABEL = /^([a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;

/** Whether `value` is a DNS-1123 label (a namespace or Service name). @internal */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain (most object names). @internal */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A Kubernetes object or namespace name of at most 63 lowercase characters. @internal */
export function checkDns1123Label(scope: IConstruct, prop: string, value: string): string {
  if (!isDns1123Label(value)) {
    fail(scope, `${prop} must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit), got ${show(value)}. Rename it, e.g. ${show(suggestName(value))}.`);
  }
  return value;
}

/** A Kubernetes object name (DNS-1123 subdomain, at most 253 characters). @internal */
export function checkDns1123Subdomain(scope: IConstruct, prop: string, value: string): string {
  if (!isDns1123Subdomain(value)) {
    fail(scope, `${prop} must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got ${show(value)}. Rename it, e.g. ${show(suggestName(value))}.`);
  }
  return value;
}

/** Validates every key and value of a label map. @internal */
export function checkLabels(scope: IConstruct, prop: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((prefix !== undefined && (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) {
      fail(scope, `${prop} has an invalid label key ${show(key)}: use an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.'.`);
    }
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      fail(scope, `${prop}.${key} must be a valid label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), got ${show(value)}.`);
    }
  }
}

/**
 * An Istio host: a DNS name, optionally with a leading `*.` wildcard, or `*` itself.
 * Short names are allowed (Istio resolves them in the rule's namespace).
 * @internal
 */
export function checkHost(scope: IConstruct, prop: string, host: string, options: { allowWildcard?: boolean } = {}): string {
  const allowWildcard = options.allowWildcard ?? true;
  if (host === '') {
    fail(scope, `${prop} must not be an empty host. Use a service name or an FQDN such as 'reviews.default.svc.cluster.local'.`);
  }
  if (host === '*' || host.startsWith('*.')) {
    if (!allowWildcard) {
      fail(scope, `${prop} must not be a wildcard host, got ${show(host)}. Name the host explicitly.`);
    }
    if (host === '*') return host;
  }
  const rest = host.startsWith('*.') ? host.slice(2) : host;
  const labels = rest.split('.');
  if (host.length > 253 || labels.some(l => l.length > 63 || !HOST_LABEL.test(l))) {
    fail(scope, `${prop} must be a DNS name (letters, digits and '-' separated by '.'), optionally starting with '*.', got ${show(host)}.`);
  }
  return host;
}

/** A lowercase DNS-1123 version of a name, for suggestions in error messages. @internal */
export function suggestName(value: string): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return cleaned.replace(/-+$/, '') || 'my-name';
}

/** A construct id as an object name: `HttpbinJwt` → `httpbin-jwt`, `frontend_to_api` → `frontend-to-api`. @internal */
export function nameFromId(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^a-zA-Z0-9-.]+/g, '-').toLowerCase().replace(/^[-.]+|[-.]+$/g, '');
}

/** A host as an object-name fragment: `api.example.com` → `api-example-com`. @internal */
export function hostSlug(host: string): string {
  return host.replace(/[^a-z0-9-]+/gi, '-').toLowerCase();
}

/** Checks an HTTP header name (RFC 9110 token characters); returns it in lowercase, as proxies compare them. @internal */
export function checkHeaderName(scope: IConstruct, prop: string, name: string): string {
  if (!/^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/.test(name)) fail(scope, `${prop} ${show(name)} is not an HTTP header name.`);
  return name.toLowerCase();
}
