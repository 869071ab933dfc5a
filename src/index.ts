// Core values
export * from './core/string-match';
export * from './core/workload-selector';
export * from './core/suppression';
export * from './core/user-interface';
export * from './core/traffic-api';
export * from './core/data-plane';
export * from './core/istio-version';

// Istio resource model
export * from './resources/istio-resource';
export * from './resources/http-route';
export * from './resources/tls-tcp-route';
export * from './resources/load-balancer';
export * from './resources/connection-pool';
export * from './resources/outlier-detection';
export * from './resources/client-tls';
export * from './resources/traffic-policy';
export * from './resources/port';
export * from './resources/gateway-reference';
export * from './resources/gateway-workload-reference';
export * from './resources/virtual-service';
export * from './resources/destination-rule';
export * from './resources/gateway';
export * from './resources/service-entry';
export * from './resources/sidecar';
export * from './resources/workload-entry-spec';
export * from './resources/workload-entry';
export * from './resources/policy-target';
export * from './resources/peer-authentication';
export * from './resources/jwt-rule';
export * from './resources/request-authentication';
export * from './resources/authorization-policy';
export * from './resources/telemetry';
export * from './resources/envoy-filter';
export * from './resources/rate-limit-service-reference';
export * from './resources/gateway-api/references';
export * from './resources/gateway-api/gateway-api-gateway';
export * from './resources/gateway-api/gateway-api-http-route';
export * from './resources/gateway-api/reference-grant';
export * from './resources/gateway-api/gateway-api-grpc-route';
export * from './resources/gateway-api/gateway-api-tls-route';
export * from './resources/gateway-api/backend-tls-policy';

// Intents
export * from './intents/service-reference';
export * from './intents/mesh-service';
export * from './intents/canary-version';
export * from './intents/ingress-host';
export * from './intents/ingress-passthrough-host';
export * from './intents/canary-release';
export * from './intents/canary-alerts';
export * from './intents/jwt-protected-service';
export * from './intents/mesh-ingress';
export * from './intents/mesh-egress';
export * from './intents/zero-trust-namespace';
export * from './intents/waypoint';
export * from './intents/denied-requests';
export * from './intents/service-resilience';
export * from './intents/fault-injection';
export * from './intents/rate-limit';

// Install
export * from './install/gateway-workload';
export * from './install/container-resources';
export * from './install/mesh-config';
export * from './install/revision-tag';
export * from './install/proxy-enrolment';
export * from './install/control-plane-delivery';
export * from './install/istio-profile';
export * from './install/istio-control-plane';
export * from './install/observability-delivery';
export * from './install/mesh-observability';
export * from './install/rate-limit-service';

// Mesh analysis
export * from './analysis/finding';
export * from './analysis/mesh-analyzer';
