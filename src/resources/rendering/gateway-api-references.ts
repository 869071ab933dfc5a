import { IConstruct } from 'constructs';
import { fail, show } from '../../core/errors';
import { checkDns1123Label, checkDns1123Subdomain, checkHost } from '../../core/names';
import { checkPercent, checkPort } from '../../core/percent';
import { BackendReference, ParentReference, SecretReference } from '../gateway-api/references';

/** @internal */
export function renderParentRef(scope: IConstruct, prop: string, p: ParentReference): any {
  checkDns1123Subdomain(scope, `${prop}.name`, p.name);
  if (p.namespace !== undefined) checkDns1123Label(scope, `${prop}.namespace`, p.namespace);
  if (p.sectionName !== undefined) checkDns1123Subdomain(scope, `${prop}.sectionName`, p.sectionName);
  checkPort(scope, `${prop}.port`, p.port);
  const kind = p.kind ?? 'Gateway';
  return {
    group: p.group ?? (kind === 'Service' ? '' : undefined),
    kind: p.kind,
    name: p.name,
    namespace: p.namespace,
    sectionName: p.sectionName,
    port: p.port,
  };
}

/** @internal */
export function renderBackendRef(scope: IConstruct, prop: string, b: BackendReference): any {
  const kind = b.kind ?? 'Service';
  const group = b.group ?? '';
  if (kind === 'Hostname') {
    // Istio's own backend kind: a host as registered (a ServiceEntry's), reached without a Service.
    if (group !== 'networking.istio.io') fail(scope, `${prop}: kind 'Hostname' is Istio's, in group 'networking.istio.io'; set group to it.`);
    if (b.namespace !== undefined) fail(scope, `${prop}: a Hostname backend has no namespace (Istio rejects one); remove namespace.`);
    checkHost(scope, `${prop}.name`, b.name, { allowWildcard: false });
  } else if (kind === 'Service') {
    if (group !== '') fail(scope, `${prop}: a Service is in the core group '', not ${show(group)}; for Istio's Hostname backend set kind: 'Hostname' too.`);
    checkDns1123Label(scope, `${prop}.name`, b.name);
  } else {
    fail(scope, `${prop}.kind must be 'Service' or Istio's 'Hostname' (case matters), got ${show(kind)}.`);
  }
  if (b.namespace !== undefined) checkDns1123Label(scope, `${prop}.namespace`, b.namespace);
  checkPort(scope, `${prop}.port`, b.port);
  if (b.port === undefined) fail(scope, `${prop}.port is required: a Service backend names its port.`);
  if (b.weight !== undefined && (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 1000000)) {
    fail(scope, `${prop}.weight must be a whole number from 0 to 1,000,000, got ${show(b.weight)}.`);
  }
  return { group: b.group, kind: b.kind, name: b.name, namespace: b.namespace, port: b.port, weight: b.weight };
}

/** @internal */
export function renderSecretRef(scope: IConstruct, prop: string, s: SecretReference): any {
  checkDns1123Subdomain(scope, `${prop}.name`, s.name);
  if (s.namespace !== undefined) checkDns1123Label(scope, `${prop}.namespace`, s.namespace);
  return { kind: 'Secret', name: s.name, namespace: s.namespace };
}

/** A RequestMirror filter's backend and whole percentage (HTTPRoute and GRPCRoute). @internal */
export function checkRequestMirror(scope: IConstruct, prop: string, mirror: { backendRef: BackendReference; percent?: number }): void {
  renderBackendRef(scope, `${prop}.backendRef`, mirror.backendRef);
  checkPercent(scope, `${prop}.percent`, mirror.percent);
  if (mirror.percent !== undefined && !Number.isInteger(mirror.percent)) {
    fail(scope, `${prop}.percent must be a whole number (Gateway API's percent is an integer), got ${show(mirror.percent)}.`);
  }
}
