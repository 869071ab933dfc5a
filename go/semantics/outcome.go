package semantics

// Outcome is what a request does, as far as istiod's config decides it. Its JSON
// field names are the vocabulary of expectations (see src/core/expectations.ts).
type Outcome struct {
	// Status the caller sees: 200 when a workload answers, 0 when the connection is refused.
	Status int    `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Redirect is the Location of a 3xx.
	Redirect string `json:"redirect,omitempty"`
	// Weights of the routed destinations by subset (or host when no subset); a single
	// destination is {name: 100}.
	Weights map[string]uint32 `json:"weights,omitempty"`
	// Host the routed destinations belong to (the first one's).
	Host string `json:"host,omitempty"`
	// ResponseHeaders the route adds, by destination (only destinations that add some).
	ResponseHeaders map[string]map[string]string `json:"responseHeaders,omitempty"`
	// Connection at the destination's proxy: "mtls", "plaintext" or "refused".
	Connection string `json:"connection,omitempty"`
	// Delivered: the request arrived at a destination workload (its proxy accepted the
	// connection), whatever its policies then decide.
	Delivered bool `json:"delivered"`
	// Token is jwt_authn's view at the proxy that answered (the destination, or a gateway that refused): "valid", "missing" or the failure.
	Token string `json:"token,omitempty"`
	// Policies: each AuthorizationPolicy at the destination on its own: "allows", "denies"
	// (it matched) or "no match", by policy name.
	Policies map[string]string `json:"policies,omitempty"`
	// Destinations are followed one by one, each to its own answer.
	Destinations []Destination `json:"destinations,omitempty"`
	Delay        *Delay        `json:"delay,omitempty"`
	Abort        *Abort        `json:"abort,omitempty"`
	Mirror       *Mirror       `json:"mirror,omitempty"`
	Timeout      string        `json:"timeout,omitempty"`
	Retries      *Retries      `json:"retries,omitempty"`
	// CircuitBreaker and outlier detection of the (first) destination's cluster.
	CircuitBreaker *CircuitBreaker `json:"circuitBreaker,omitempty"`
	// LocalRateLimit: the token bucket the request took a token from (at the last proxy that limits it).
	LocalRateLimit *LocalLimit `json:"localRateLimit,omitempty"`
	// RateLimit: what a proxy asked the global rate limit service, and the limits configured for it.
	RateLimit *GlobalLimit `json:"rateLimit,omitempty"`
	// Tracing at each proxy the request passed (namespace/deployment): the collector's
	// host and the sampling percentage of the HTTP connection manager, or "off".
	Tracing map[string]string `json:"tracing,omitempty"`
	// Via lists the gateways the request passed through (namespace/deployment).
	Via []string `json:"via,omitempty"`
	// Upstream is the host outside the mesh the request left to, with its TLS.
	Upstream *Upstream `json:"upstream,omitempty"`
}

// Destination is one routed cluster.
type Destination struct {
	Name            string            `json:"name"`
	Weight          uint32            `json:"weight"`
	Status          int               `json:"status"`
	Workload        string            `json:"workload,omitempty"`
	ResponseHeaders map[string]string `json:"responseHeaders,omitempty"`
	Reason          string            `json:"reason,omitempty"`
}

type Delay struct {
	Fixed   string  `json:"fixed"`
	Percent float64 `json:"percent"`
}

type Abort struct {
	Status  int     `json:"status"`
	Percent float64 `json:"percent"`
}

type Mirror struct {
	Name    string  `json:"name"`
	Percent float64 `json:"percent"`
}

type Retries struct {
	Attempts      uint32 `json:"attempts"`
	PerTryTimeout string `json:"perTryTimeout,omitempty"`
	RetryOn       string `json:"retryOn,omitempty"`
}

type CircuitBreaker struct {
	MaxConnections           uint32 `json:"maxConnections,omitempty"`
	MaxPendingRequests       uint32 `json:"maxPendingRequests,omitempty"`
	MaxRequestsPerConnection uint32 `json:"maxRequestsPerConnection,omitempty"`
	Consecutive5xxErrors     uint32 `json:"consecutive5xxErrors,omitempty"`
	Interval                 string `json:"interval,omitempty"`
	BaseEjectionTime         string `json:"baseEjectionTime,omitempty"`
	MaxEjectionPercent       uint32 `json:"maxEjectionPercent,omitempty"`
}

type Upstream struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// TLS is "originated" (the proxy opens TLS, with SNI) or "passthrough" (the client's own TLS) or "".
	TLS string `json:"tls,omitempty"`
	Sni string `json:"sni,omitempty"`
}
