// Hand-written promises about how this example's intents compose (each intent's own
// promises come from the intents). Proven by the semantics harness; see the README's
// "What the tests prove".
import { Expectation } from '../../src/core/expectations';

const reviews = { from: { namespace: 'bookinfo', serviceAccount: 'bookinfo-productpage' }, host: 'reviews.bookinfo.svc.cluster.local', port: 9080 };
const ingress = { via: { namespace: 'istio-ingress', service: 'istio-ingressgateway' }, scheme: 'https' as const, host: 'bookinfo.example.com', port: 443 };
const token = { claims: { iss: 'https://auth.example.com', sub: 'alice' } };

export const expectations: Expectation[] = [
  {
    promise: 'a faulted request still goes where it would have: x-chaos and end-user: jason → delayed, then v2',
    request: { ...reviews, headers: { 'x-chaos': 'delay', 'end-user': 'jason' } },
    expect: { delay: { fixed: '2s', percent: 100 }, weights: { v2: 100 }, timeout: '3s', status: 200 },
  },
  {
    promise: 'productpage may call reviews (zero trust), with the split, timeout and retries',
    request: reviews,
    expect: { status: 200, weights: { v1: 90, v2: 10 }, timeout: '3s', retries: { attempts: 2, perTryTimeout: '1s', retryOn: '5xx,connect-failure' } },
  },
  {
    promise: 'through the gateway, /reviews carries the same routing',
    request: { ...ingress, path: '/reviews/1' },
    expect: { status: 200, weights: { v1: 90, v2: 10 }, timeout: '3s', via: ['istio-ingress/istio-ingressgateway'] },
  },
  { promise: 'through the gateway, /productpage without a token is refused', request: { ...ingress, path: '/productpage' }, expect: { status: 403 } },
  { promise: 'through the gateway, /productpage with a valid token is answered', request: { ...ingress, path: '/productpage', token }, expect: { status: 200, token: 'valid' } },
  { promise: 'the gateway does not serve other paths', request: { ...ingress, path: '/admin' }, expect: { status: 404 } },
];
