// Hand-written promises for this example: tracing is a mesh-wide setting, not a route of
// one intent, so the walk-through's path is spelled out here. The semantics harness
// reads each proxy's HTTP connection manager along the way.
import { Expectation } from '../../src/core/expectations';

const jaeger = 'jaeger-collector.istio-system.svc.cluster.local 100%';

export const expectations: Expectation[] = [
  {
    promise: 'a request from outside is traced at the ingress gateway and at productpage, every one sampled, to the Jaeger collector',
    request: { via: { namespace: 'istio-ingress', service: 'istio-ingressgateway' }, scheme: 'https', host: 'bookinfo.example.com', port: 443, path: '/productpage' },
    expect: { delivered: true, tracing: { 'istio-ingress/istio-ingressgateway': jaeger, 'bookinfo/productpage-v1': jaeger } },
  },
  {
    promise: 'a call to reviews as productpage is traced at the caller\'s sidecar and at each reviews version',
    request: { from: { namespace: 'bookinfo', serviceAccount: 'bookinfo-productpage' }, host: 'reviews.bookinfo.svc.cluster.local', port: 9080, path: '/reviews/0' },
    expect: { delivered: true, tracing: { 'bookinfo/semantics-client': jaeger, 'bookinfo/reviews-v1': jaeger, 'bookinfo/reviews-v2': jaeger, 'bookinfo/reviews-v3': jaeger } },
  },
];
