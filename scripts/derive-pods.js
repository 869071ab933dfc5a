#!/usr/bin/env node
// Reads multi-document YAML on stdin, prints it back followed by one Pod per
// Deployment (named <deployment>-pod), because `istioctl analyze` checks
// selectors against Pods, which a GitOps repo never contains.
const { parseAllDocuments, stringify } = require('yaml');
const input = require('fs').readFileSync(0, 'utf8');
const docs = parseAllDocuments(input).map(d => d.toJSON()).filter(Boolean);
const pods = docs.filter(d => d.kind === 'Deployment').map(d => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `${d.metadata.name}-pod`,
    namespace: d.metadata.namespace,
    labels: d.spec.template.metadata?.labels ?? {},
    annotations: {
      ...(d.spec.template.metadata?.annotations ?? {}),
      // What istiod's injector would record; analyze uses it to know the pod is injected.
      'sidecar.istio.io/status': '{"containers":["istio-proxy"]}',
    },
  },
  spec: {
    ...d.spec.template.spec,
    containers: [
      ...d.spec.template.spec.containers.filter(c => c.name !== 'istio-proxy'),
      { name: 'istio-proxy', image: 'registry.istio.io/release/proxyv2:1.31.4' },
    ],
  },
}));
process.stdout.write([...docs, ...pods].map(d => stringify(d)).join('---\n'));
