package semantics

// Walks a request through the Envoy config istiod generates, hop by hop: the
// caller's proxy (sidecar outbound or gateway), each routed cluster's endpoints,
// the next proxy (a gateway, or the destination's inbound), until a workload
// answers, a filter rejects, or the request leaves the mesh. Listener, filter
// chain and virtual host come from Istio's simulation; route matching, HTTP
// filters and cluster semantics are ours (see match.go, rbac.go, jwt.go).

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	tracev3 "github.com/envoyproxy/go-control-plane/envoy/config/trace/v3"
	fault "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	jwtauthn "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/jwt_authn/v3"
	rbachttp "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/rbac/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	rbactcp "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/rbac/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	httpopts "github.com/envoyproxy/go-control-plane/envoy/extensions/upstreams/http/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/protobuf/types/known/durationpb"

	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xdstest"
)

const maxHops = 5

// Tracer sends expectation requests through one example's mesh.
type Tracer struct {
	Mesh *Mesh
	Keys *TestIssuerKeys
	eds  map[string]map[string][]endpoint // workload key -> cluster -> endpoints
	// tokens taken from local rate limit buckets ("<proxy>|<bucket>"), across one SendRepeated.
	tokens map[string]int
}

// endpoint is one EDS endpoint with the metadata auto mTLS reads.
type endpoint struct {
	ip        string
	port      int
	istioMtls bool // tlsMode: istio (the pod has a proxy and its PeerAuthentication is not DISABLE)
}

func NewTracer(m *Mesh, keys *TestIssuerKeys) *Tracer {
	return &Tracer{Mesh: m, Keys: keys, eds: map[string]map[string][]endpoint{}, tokens: map[string]int{}}
}

// SendRepeated sends a request spec.Repeat times (at least once) with fresh rate limit
// buckets; the outcome is the last one's, with how many passed a local rate limit.
func (tr *Tracer) SendRepeated(spec RequestSpec) (Outcome, error) {
	tr.tokens = map[string]int{}
	passed := 0
	var out Outcome
	for i := 0; i < max(spec.Repeat, 1); i++ {
		var err error
		if out, err = tr.Send(spec); err != nil {
			return out, err
		}
		if out.Status != 429 {
			passed++
		}
	}
	if out.LocalRateLimit != nil {
		out.LocalRateLimit.Passed = passed
	}
	return out, nil
}

// hopState is what the whole request shares: the outcome and the hop count.
type hopState struct {
	hops int
	out  *Outcome
}

// routeFacts are what a routing hop's route applies to the request.
type routeFacts struct {
	timeout string
	retries *Retries
	mirror  *Mirror
	delay   *Delay
	abort   *Abort
}

// Send runs one request and returns what it does.
func (tr *Tracer) Send(spec RequestSpec) (Outcome, error) {
	fx := tr.Mesh.Fixture
	req := &Request{Method: orDefault(spec.Method, "GET"), Scheme: orDefault(spec.Scheme, "http"), Path: orDefault(spec.Path, "/"),
		Authority: spec.Host, Headers: map[string]string{}}
	for k, v := range spec.Headers {
		req.Headers[strings.ToLower(k)] = v
	}
	if spec.Token != nil {
		tok, err := tr.Keys.Sign(spec.Token.Claims, spec.Token.Forged)
		if err != nil {
			return Outcome{}, err
		}
		req.Headers["authorization"] = "Bearer " + tok
	}
	out := &Outcome{}
	st := &hopState{out: out}
	switch {
	case spec.Via != nil:
		svc := fx.Services[spec.Via.Service+"."+spec.Via.Namespace]
		if spec.Via.Service == "" {
			svc = tr.serviceSelecting(spec.Via.Namespace, spec.Via.Labels)
		}
		if svc == nil {
			return Outcome{}, fmt.Errorf("no Service %s/%s%v for the gateway", spec.Via.Namespace, spec.Via.Service, spec.Via.Labels)
		}
		gw, port, err := tr.backend(svc, spec.Port)
		if err != nil {
			return Outcome{}, err
		}
		req.Port = port
		call := simulation.Call{Port: port, Protocol: simulation.HTTP, HostHeader: spec.Host, Path: req.Path,
			Headers: headersOf(req), CallMode: simulation.CallModeGateway}
		if spec.Scheme == "https" {
			call.TLS, call.Sni = simulation.TLS, spec.Host
		}
		if spec.TLS {
			// The client's own TLS, which a passthrough gateway routes by SNI without reading it.
			req.Opaque = true
			call = simulation.Call{Port: port, Protocol: simulation.TCP, TLS: simulation.TLS, Sni: hostOnly(spec.Host), CallMode: simulation.CallModeGateway}
		}
		out.Status, out.Reason = tr.proxyHop(gw, call, req, st)
	case spec.To != nil:
		var target *Workload
		for _, k := range sortedKeys(fx.Workloads) {
			w := fx.Workloads[k]
			if w.Namespace == spec.To.Namespace && w.Deployment != "" && hasLabels(w.Labels, spec.To.Labels) {
				target = &w
				break
			}
		}
		if target == nil {
			return Outcome{}, fmt.Errorf("no pod in %s with labels %v", spec.To.Namespace, spec.To.Labels)
		}
		port := spec.Port
		if port == 0 && len(target.Ports) > 0 {
			port = int(target.Ports[0])
		}
		client, err := tr.client(spec.From, false)
		if err != nil {
			return Outcome{}, err
		}
		out.Status, out.Reason = tr.deliver(*target, port, req, client.Injected, client.Principal(), st)
	default:
		client, err := tr.client(spec.From, true)
		if err != nil {
			return Outcome{}, err
		}
		if !client.Injected {
			// No proxy on the caller: it connects to a Service endpoint as kube-proxy would.
			svc := tr.serviceByHost(spec.Host)
			if svc == nil {
				return Outcome{}, fmt.Errorf("a caller outside the mesh can only reach a Service; %s is none", spec.Host)
			}
			w, port, err := tr.backend(svc, spec.Port)
			if err != nil {
				return Outcome{}, err
			}
			out.Status, out.Reason = tr.deliver(w, port, req, false, "", st)
			break
		}
		addr := "240.240.0.1" // a host without a Service IP (ServiceEntry, external): any address, the Host header decides
		if svc := tr.serviceByHost(spec.Host); svc != nil {
			addr = svc.Spec.ClusterIP
		}
		req.Port = spec.Port
		call := simulation.Call{Address: addr, Port: spec.Port, Protocol: simulation.HTTP, HostHeader: spec.Host,
			Path: req.Path, Headers: headersOf(req), CallMode: simulation.CallModeOutbound}
		if spec.TLS {
			req.Opaque = true
			call = simulation.Call{Address: addr, Port: spec.Port, Protocol: simulation.TCP, TLS: simulation.TLS, Sni: hostOnly(spec.Host),
				CallMode: simulation.CallModeOutbound}
		}
		out.Status, out.Reason = tr.proxyHop(*client, call, req, st)
	}
	summarize(out)
	return *out, nil
}

// client is the caller's pod: the namespace's client, with the spec's service account as its
// identity. A caller that only needs an identity (a request to a workload's own port) may come
// from a namespace the example does not have.
func (tr *Tracer) client(c *Client, needProxy bool) (*Workload, error) {
	if c == nil {
		return nil, fmt.Errorf("the request names no caller (from)")
	}
	w, ok := tr.Mesh.Fixture.Workloads[ClientName+"."+c.Namespace]
	if !ok && needProxy {
		return nil, fmt.Errorf("namespace %s is not in the example", c.Namespace)
	}
	if !ok {
		w = Workload{Name: ClientName, Namespace: c.Namespace, ServiceAccount: ClientName, Injected: true}
	}
	if c.ServiceAccount != "" {
		w.ServiceAccount = c.ServiceAccount
	}
	if c.OutsideMesh {
		w.Injected = false
	}
	return &w, nil
}

// atHop is the request as one proxy sees it: its own copy, with no metadata from other proxies.
func atHop(r *Request) *Request {
	c := *r
	c.Headers = map[string]string{}
	for k, v := range r.Headers {
		c.Headers[k] = v
	}
	c.Metadata = nil
	return &c
}

// proxyHop runs a request through a proxy that routes it (a client sidecar or a gateway).
func (tr *Tracer) proxyHop(w Workload, call simulation.Call, in *Request, st *hopState) (int, string) {
	st.hops++
	if st.hops > maxHops {
		return 0, "too many hops"
	}
	if w.Gateway {
		st.out.Via = append(st.out.Via, w.Namespace+"/"+w.Deployment)
	}
	req := atHop(in)
	sim := tr.Mesh.Simulation(w)
	res := sim.Run(call)
	switch res.Error {
	case nil:
	case simulation.ErrTLSRedirect:
		// Envoy's require_tls: a 301 to the same host and path over https.
		st.out.Redirect = "https://" + hostOnly(req.Authority) + req.Path
		return 301, "TLS required"
	case simulation.ErrNoVirtualHost, simulation.ErrNoRoute:
		return 404, "no route (" + res.Error.Error() + ")"
	default:
		return 0, fmt.Sprintf("refused at %s: %v", w.Name, res.Error)
	}
	fc := filterChain(sim, res)
	h := xdstest.ExtractHTTPConnectionManager(nil, fc)
	if h == nil {
		if status, reason := networkRbac(fc, req); status != 200 {
			return status, reason
		}
		if res.ClusterMatched == "" {
			return 0, "no cluster for a TCP connection"
		}
		return tr.forward(w, []weighted{{cluster: res.ClusterMatched, weight: 100}}, req, routeFacts{}, st)
	}
	st.out.traced(w, h)
	vh := virtualHost(sim, h, res)
	r, err := firstRoute(vh, req)
	if err != nil {
		return 0, err.Error()
	}
	if r == nil {
		return 404, "no route matched in " + vh.GetName()
	}
	// A proxy that refuses the request answers it: its token and policy verdicts are the facts.
	here := &Outcome{}
	rc := &routeContext{proxy: proxyName(w), vh: vh, route: r, out: st.out}
	if status, reason := tr.httpFilters(h, req, here, rc); status != 200 {
		st.out.Token, st.out.Policies = here.Token, here.Policies
		return status, reason
	}
	return tr.routeAction(w, vh, r, req, st)
}

// deliver is the last hop: the destination pod's inbound listener (or, without a proxy, the app).
func (tr *Tracer) deliver(w Workload, port int, in *Request, mtls bool, principal string, st *hopState) (int, string) {
	st.hops++
	record := st.out.Connection == "" // the first destination reached speaks for the request
	if !w.Injected {
		if mtls {
			return 503, "upstream connect error: Istio mTLS to " + w.Deployment + ", which has no proxy"
		}
		if record {
			st.out.Connection, st.out.Delivered = "plaintext", true
		}
		return 200, "answered by " + w.Deployment + " (no proxy)"
	}
	req := atHop(in)
	req.Port = port
	req.PeerPrincipal = ""
	if mtls {
		req.PeerPrincipal = principal
	}
	call := simulation.Call{Address: w.IP, Port: port, Protocol: simulation.HTTP, HostHeader: req.Authority,
		Path: req.Path, Headers: headersOf(req), CallMode: simulation.CallModeInbound}
	if req.Opaque {
		call.Protocol, call.TLS = simulation.TCP, simulation.TLS
	}
	if mtls {
		call.TLS = simulation.MTLS
	}
	sim := tr.Mesh.Simulation(w)
	res := sim.Run(call)
	if res.Error != nil {
		if record {
			st.out.Connection = "refused"
		}
		return 0, fmt.Sprintf("refused by %s's proxy: %v", w.Deployment, res.Error)
	}
	if record {
		st.out.Connection, st.out.Delivered = map[bool]string{true: "mtls", false: "plaintext"}[mtls], true
	}
	fc := filterChain(sim, res)
	h := xdstest.ExtractHTTPConnectionManager(nil, fc)
	if h == nil {
		if status, reason := networkRbac(fc, req); status != 200 {
			return status, reason
		}
		return 200, "answered by " + w.Deployment + " (TCP)"
	}
	st.out.traced(w, h)
	var rec *Outcome
	if record {
		rec = st.out
	}
	// The inbound route the request takes (rate limits read its actions and per-filter config).
	vh := virtualHost(sim, h, res)
	matched, err := firstRoute(vh, req)
	if err != nil {
		return 0, err.Error()
	}
	rc := &routeContext{proxy: proxyName(w), vh: vh, route: matched, out: st.out}
	if status, reason := tr.httpFilters(h, req, rec, rc); status != 200 {
		return status, reason
	}
	return 200, "answered by " + w.Deployment
}

// networkRbac applies a TCP filter chain's RBAC filters (a denied connection is closed).
func networkRbac(fc *listener.FilterChain, r *Request) (int, string) {
	for _, f := range fc.GetFilters() {
		if f.GetTypedConfig().GetTypeUrl() != "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC" {
			continue
		}
		cfg := &rbactcp.RBAC{}
		if err := f.GetTypedConfig().UnmarshalTo(cfg); err != nil {
			return 0, err.Error()
		}
		d, err := EvalRbac(cfg.Rules, r)
		if err != nil {
			return 0, err.Error()
		}
		if !d.Allowed {
			return 0, "connection closed by RBAC " + strings.Join(d.Policies, ", ")
		}
	}
	return 200, ""
}

// httpFilters runs the HCM's authentication and authorization filters in their order.
// With record set, it also writes the token's verdict and every policy's own verdict.
func (tr *Tracer) httpFilters(h *hcm.HttpConnectionManager, r *Request, record *Outcome, rc *routeContext) (int, string) {
	if record != nil {
		record.Token = "missing"
		tr.recordPolicies(h, r, record)
	}
	for _, f := range h.HttpFilters {
		switch f.GetTypedConfig().GetTypeUrl() {
		case "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication":
			cfg := &jwtauthn.JwtAuthentication{}
			if err := f.GetTypedConfig().UnmarshalTo(cfg); err != nil {
				return 0, err.Error()
			}
			res, err := EvalJwtAuthn(cfg, r)
			if err != nil {
				return 0, err.Error()
			}
			if record != nil {
				switch {
				case res.Status != 200:
					record.Token = res.Reason
				case r.Metadata[jwtFilter] != nil:
					record.Token = "valid"
				}
				// Policies read the verified payload: evaluate them again now that it is there.
				tr.recordPolicies(h, r, record)
			}
			if res.Status != 200 {
				return res.Status, res.Reason
			}
		case "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC":
			cfg := &rbachttp.RBAC{}
			if err := f.GetTypedConfig().UnmarshalTo(cfg); err != nil {
				return 0, err.Error()
			}
			d, err := EvalRbac(cfg.Rules, r)
			if err != nil {
				return 0, err.Error()
			}
			if !d.Allowed {
				if cfg.GetRules().GetAction().String() == "DENY" {
					return 403, "RBAC: denied by " + strings.Join(d.Policies, ", ")
				}
				return 403, "RBAC: no ALLOW policy matched"
			}
		case "type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz":
			return 0, "CUSTOM authorization (ext_authz) is not simulated"
		case localRateLimitType:
			status, reason, err := tr.localRateLimit(f.Name, f.GetTypedConfig(), *rc, r)
			if err != nil {
				return 0, err.Error()
			}
			if status != 200 {
				return status, reason
			}
		case globalRateLimitType:
			if err := tr.globalRateLimit(f.GetTypedConfig(), *rc, r); err != nil {
				return 0, err.Error()
			}
		}
	}
	return 200, ""
}

// recordPolicies evaluates each AuthorizationPolicy on its own (RBAC policy names are
// ns[<ns>]-policy[<name>]-rule[<i>]; a policy matches when one of its rules does).
func (tr *Tracer) recordPolicies(h *hcm.HttpConnectionManager, r *Request, record *Outcome) {
	record.Policies = map[string]string{}
	for _, f := range h.HttpFilters {
		if f.GetTypedConfig().GetTypeUrl() != "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC" {
			continue
		}
		cfg := &rbachttp.RBAC{}
		if f.GetTypedConfig().UnmarshalTo(cfg) != nil || cfg.Rules == nil {
			continue
		}
		verdict := "allows"
		if cfg.Rules.Action.String() == "DENY" {
			verdict = "denies"
		}
		for name, p := range cfg.Rules.Policies {
			policy := policyName(name)
			if record.Policies[policy] == "" {
				record.Policies[policy] = "no match"
			}
			ok, err := matchPolicy(p, r)
			switch {
			case err != nil:
				record.Policies[policy] = "not simulated: " + err.Error()
			case ok:
				record.Policies[policy] = verdict
			}
		}
	}
}

func policyName(rbacName string) string {
	_, rest, ok := strings.Cut(rbacName, "-policy[")
	if !ok {
		return rbacName
	}
	name, _, _ := strings.Cut(rest, "]-rule[")
	return name
}

type weighted struct {
	cluster         string
	weight          uint32
	responseHeaders map[string]string
	requestHeaders  map[string]string
}

// routeAction applies a matched route: redirect, direct response, or forwarding with its policies.
func (tr *Tracer) routeAction(w Workload, vh *route.VirtualHost, r *route.Route, req *Request, st *hopState) (int, string) {
	switch a := r.Action.(type) {
	case *route.Route_Redirect:
		st.out.Redirect = redirectLocation(a.Redirect, req, r.Match)
		return redirectStatus(a.Redirect.ResponseCode), "redirect"
	case *route.Route_DirectResponse:
		return int(a.DirectResponse.Status), "direct response"
	case *route.Route_Route:
		ra := a.Route
		var dests []weighted
		if wc := ra.GetWeightedClusters(); wc != nil {
			for _, c := range wc.Clusters {
				if c.Weight.GetValue() > 0 {
					dests = append(dests, weighted{cluster: c.Name, weight: c.Weight.GetValue(),
						responseHeaders: headerValues(c.ResponseHeadersToAdd), requestHeaders: headerValues(c.RequestHeadersToAdd)})
				}
			}
		} else {
			dests = []weighted{{cluster: ra.GetCluster(), weight: 100}}
		}
		for i := range dests {
			dests[i].responseHeaders = merged(headerValues(vh.ResponseHeadersToAdd), headerValues(r.ResponseHeadersToAdd), dests[i].responseHeaders)
			dests[i].requestHeaders = merged(headerValues(vh.RequestHeadersToAdd), headerValues(r.RequestHeadersToAdd), dests[i].requestHeaders)
		}
		facts := routeFacts{timeout: durationString(ra.Timeout)}
		if rp := ra.RetryPolicy; rp != nil {
			facts.retries = &Retries{Attempts: rp.GetNumRetries().GetValue(), PerTryTimeout: durationString(rp.PerTryTimeout), RetryOn: rp.RetryOn}
		}
		if m := ra.RequestMirrorPolicies; len(m) > 0 {
			// No runtime_fraction: every request is mirrored.
			facts.mirror = &Mirror{Name: clusterLabel(m[0].Cluster), Percent: percentOr(m[0].GetRuntimeFraction().GetDefaultValue(), 100)}
		}
		if err := faultOf(r, &facts); err != nil {
			return 0, err.Error()
		}
		if facts.abort != nil && facts.abort.Percent >= 100 {
			// Every request ends here: this hop is the one that answers.
			st.out.record(facts)
			return facts.abort.Status, "fault abort"
		}
		fwd, err := rewritten(req, r)
		if err != nil {
			return 0, err.Error()
		}
		return tr.forward(w, dests, fwd, facts, st)
	}
	return 0, fmt.Sprintf("unsupported route action %T", r.Action)
}

// rewritten applies the route's path and authority rewrites, as the upstream request carries them.
func rewritten(in *Request, r *route.Route) (*Request, error) {
	req := atHop(in)
	req.Metadata = in.Metadata
	ra := r.GetRoute()
	path, query, hasQuery := strings.Cut(req.Path, "?")
	switch {
	case ra.GetPrefixRewrite() != "":
		matched := r.GetMatch().GetPrefix()
		if matched == "" {
			matched = r.GetMatch().GetPath()
		}
		if matched == "" {
			matched = r.GetMatch().GetPathSeparatedPrefix()
		}
		path = ra.GetPrefixRewrite() + strings.TrimPrefix(path, matched)
	case ra.GetRegexRewrite() != nil:
		re, err := regexp.Compile(ra.GetRegexRewrite().GetPattern().GetRegex())
		if err != nil {
			return nil, err
		}
		// RE2 substitution syntax (\1) as Envoy documents it, in Go's ${1} form.
		path = re.ReplaceAllString(path, regexp.MustCompile(`\\(\d)`).ReplaceAllString(ra.GetRegexRewrite().GetSubstitution(), "$${$1}"))
	}
	if hasQuery {
		path += "?" + query
	}
	req.Path = path
	if h := ra.GetHostRewriteLiteral(); h != "" {
		req.Authority = h
	}
	return req, nil
}

// faultOf reads the route's fault filter config. An unset percentage is 0 in Envoy.
func faultOf(r *route.Route, facts *routeFacts) error {
	cfg := r.TypedPerFilterConfig["envoy.filters.http.fault"]
	if cfg == nil {
		return nil
	}
	f := &fault.HTTPFault{}
	if err := cfg.UnmarshalTo(f); err != nil {
		return err
	}
	if d := f.Delay; d != nil {
		if d.GetHeaderDelay() != nil {
			return fmt.Errorf("header-controlled delays are not simulated")
		}
		facts.delay = &Delay{Fixed: durationString(d.GetFixedDelay()), Percent: percentOr(d.Percentage, 0)}
	}
	if ab := f.Abort; ab != nil {
		if _, ok := ab.ErrorType.(*fault.FaultAbort_HttpStatus); !ok {
			return fmt.Errorf("only HTTP-status aborts are simulated")
		}
		facts.abort = &Abort{Status: int(ab.GetHttpStatus()), Percent: percentOr(ab.Percentage, 0)}
	}
	return nil
}

// record sets the route facts of the hop that answers for the request.
func (out *Outcome) record(f routeFacts) {
	out.Timeout, out.Retries, out.Mirror, out.Delay, out.Abort = f.timeout, f.retries, f.mirror, f.delay, f.abort
}

// forward follows every routed cluster to its endpoints and the next proxy.
func (tr *Tracer) forward(w Workload, dests []weighted, req *Request, facts routeFacts, st *hopState) (int, string) {
	var statuses []Destination
	cb := (*CircuitBreaker)(nil)
	for i, d := range dests {
		sent := atHop(req)
		sent.Metadata = nil
		for k, v := range d.requestHeaders {
			sent.Headers[strings.ToLower(k)] = v
		}
		status, reason, workload, c := tr.followCluster(w, d.cluster, sent, st)
		if i == 0 && c != nil {
			cb = circuitBreakerOf(c)
		}
		statuses = append(statuses, Destination{Name: clusterLabel(d.cluster), Weight: d.weight, Status: status, Workload: workload,
			ResponseHeaders: d.responseHeaders, Reason: reason})
	}
	// The routing hop nearest the answer speaks for the request (an egress gateway's route,
	// not the sidecar's route to that gateway); outer hops return after it.
	if st.out.Destinations == nil {
		st.out.Destinations = statuses
		st.out.record(facts)
		st.out.CircuitBreaker = cb
		_, _, _, st.out.Host = parseCluster(dests[0].cluster)
		for _, d := range statuses {
			if len(d.ResponseHeaders) > 0 {
				if st.out.ResponseHeaders == nil {
					st.out.ResponseHeaders = map[string]map[string]string{}
				}
				st.out.ResponseHeaders[d.Name] = d.ResponseHeaders
			}
		}
	}
	return agree(statuses)
}

// agree is the status every destination gives, or -1 when they differ.
func agree(ds []Destination) (int, string) {
	status, reason := ds[0].Status, ds[0].Reason
	for _, d := range ds[1:] {
		if d.Status != status {
			return -1, "destinations answer differently (see destinations)"
		}
	}
	return status, reason
}

// followCluster resolves a cluster the way Envoy would connect to it, and follows each distinct
// workload behind it. It returns the cluster (nil for the special ones).
func (tr *Tracer) followCluster(w Workload, name string, req *Request, st *hopState) (int, string, string, *cluster.Cluster) {
	switch name {
	case "BlackHoleCluster":
		return 502, "BlackHoleCluster (REGISTRY_ONLY or no route)", "", nil
	case "PassthroughCluster":
		st.out.Upstream = &Upstream{Host: hostOnly(req.Authority), Port: req.Port, TLS: "passthrough-or-plain"}
		return 200, "left the mesh through PassthroughCluster", "", nil
	}
	sim := tr.Mesh.Simulation(w)
	c := xdstest.ExtractCluster(name, sim.Clusters)
	if c == nil {
		return 503, "cluster " + name + " not found (NC)", "", nil
	}
	if c.GetType() != cluster.Cluster_EDS {
		// Outside the mesh (ServiceEntry with DNS resolution): the external host answers.
		_, port, _, host := parseCluster(name)
		// The port connected to is the endpoint's (a ServiceEntry targetPort), not the cluster's.
		for _, lle := range c.GetLoadAssignment().GetEndpoints() {
			for _, e := range lle.GetLbEndpoints() {
				if sa := e.GetEndpoint().GetAddress().GetSocketAddress(); sa != nil {
					port = int(sa.GetPortValue())
				}
			}
		}
		st.out.Upstream = upstreamOf(c, host, port, req)
		return 200, "answered by " + host + " outside the mesh", "", c
	}
	eps := tr.endpoints(w)[name]
	if len(eps) == 0 {
		return 503, "no healthy upstream: " + name + " has no endpoints", "", c
	}
	var results []Destination
	seen := map[string]bool{}
	for _, ep := range eps {
		next, ok := tr.Mesh.Fixture.PodsByIP[ep.ip]
		if !ok {
			// A WorkloadEntry or a ServiceEntry endpoint: outside the example's pods.
			_, _, _, host := parseCluster(name)
			st.out.Upstream = upstreamOf(c, host, ep.port, req)
			results = append(results, Destination{Status: 200, Reason: "answered by endpoint " + ep.ip, Workload: ep.ip})
			continue
		}
		if seen[next.Deployment] {
			continue
		}
		seen[next.Deployment] = true
		status, reason := tr.toWorkload(w, c, ep, next, req, st)
		results = append(results, Destination{Status: status, Reason: reason, Workload: next.Deployment})
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Workload)
	}
	status, reason := agree(results)
	if status == -1 {
		reason = "the pods behind " + name + " answer differently: " + describeAll(results)
	}
	return status, reason, strings.Join(names, ","), c
}

// toWorkload sends the request to one endpoint's pod: a gateway routes it on, a sidecar delivers it.
func (tr *Tracer) toWorkload(w Workload, c *cluster.Cluster, ep endpoint, next Workload, req *Request, st *hopState) (int, string) {
	// Istio mTLS when the cluster demands it (a DestinationRule's ISTIO_MUTUAL), or by auto mTLS
	// when the endpoint is labelled tlsMode: istio.
	explicit := istioMtlsSocket(c.GetTransportSocket())
	auto := ep.istioMtls && hasAutoMtls(c)
	mtls := w.Injected && (explicit || auto)
	req.Port = ep.port
	if next.Gateway {
		call := simulation.Call{Port: ep.port, Protocol: simulation.HTTP, HostHeader: req.Authority, Path: req.Path,
			Headers: headersOf(req), CallMode: simulation.CallModeGateway}
		if req.Opaque {
			// The client's TLS, passed on: the gateway sees its SNI (unless Istio mTLS wraps it, below).
			call = simulation.Call{Port: ep.port, Protocol: simulation.TCP, TLS: simulation.TLS, Sni: hostOnly(req.Authority), CallMode: simulation.CallModeGateway}
		}
		req.PeerPrincipal = ""
		if mtls {
			call.TLS, call.Sni = simulation.MTLS, upstreamSni(c)
			req.PeerPrincipal = w.Principal()
		}
		return tr.proxyHop(next, call, req, st)
	}
	return tr.deliver(next, ep.port, req, mtls, w.Principal(), st)
}

func describeAll(ds []Destination) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s %d (%s)", d.Workload, d.Status, d.Reason))
	}
	return strings.Join(parts, "; ")
}

func upstreamOf(c *cluster.Cluster, host string, port int, req *Request) *Upstream {
	up := &Upstream{Host: host, Port: port}
	if sni, ok := originatedTLS(c); ok {
		up.TLS, up.Sni = "originated", sni
	} else if req.Opaque {
		// The client's own TLS reaches the host untouched.
		up.TLS, up.Sni = "passthrough", hostOnly(req.Authority)
	}
	return up
}

func (tr *Tracer) endpoints(w Workload) map[string][]endpoint {
	key := w.Name + "." + w.Namespace
	if e, ok := tr.eds[key]; ok {
		return e
	}
	e := map[string][]endpoint{}
	for _, cla := range tr.Mesh.Server.Endpoints(tr.Mesh.Proxy(w)) {
		for _, lle := range cla.GetEndpoints() {
			for _, lb := range lle.GetLbEndpoints() {
				sa := lb.GetEndpoint().GetAddress().GetSocketAddress()
				if sa == nil {
					continue
				}
				tlsMode := lb.GetMetadata().GetFilterMetadata()["envoy.transport_socket_match"].GetFields()["tlsMode"].GetStringValue()
				e[cla.ClusterName] = append(e[cla.ClusterName], endpoint{ip: sa.GetAddress(), port: int(sa.GetPortValue()), istioMtls: tlsMode == "istio"})
			}
		}
	}
	tr.eds[key] = e
	return e
}

// backend is the first ready pod behind a Service port, and the pod port it maps to.
func (tr *Tracer) backend(svc *corev1Service, port int) (Workload, int, error) {
	if port == 0 && len(svc.Spec.Ports) > 0 {
		port = int(svc.Spec.Ports[0].Port)
	}
	for _, k := range sortedKeys(tr.Mesh.Fixture.Workloads) {
		w := tr.Mesh.Fixture.Workloads[k]
		if w.Namespace != svc.Namespace || w.Deployment == "" || len(svc.Spec.Selector) == 0 || !hasLabels(w.Labels, svc.Spec.Selector) {
			continue
		}
		for _, sp := range svc.Spec.Ports {
			if int(sp.Port) == port {
				return w, int(targetPortOf(sp, w)), nil
			}
		}
		return Workload{}, 0, fmt.Errorf("Service %s/%s has no port %d", svc.Namespace, svc.Name, port)
	}
	return Workload{}, 0, fmt.Errorf("no pod behind Service %s/%s", svc.Namespace, svc.Name)
}

// serviceSelecting is a Service whose selector is exactly these labels.
func (tr *Tracer) serviceSelecting(namespace string, labels map[string]string) *corev1Service {
	for _, k := range sortedKeys(tr.Mesh.Fixture.Services) {
		s := tr.Mesh.Fixture.Services[k]
		if s.Namespace == namespace && len(s.Spec.Selector) == len(labels) && hasLabels(s.Spec.Selector, labels) {
			return s
		}
	}
	return nil
}

func (tr *Tracer) serviceByHost(host string) *corev1Service {
	h := hostOnly(host)
	for _, s := range tr.Mesh.Fixture.Services {
		fq := s.Name + "." + s.Namespace + ".svc.cluster.local"
		if h == fq || h == s.Name+"."+s.Namespace || h == s.Name+"."+s.Namespace+".svc" {
			return s
		}
	}
	return nil
}

func summarize(out *Outcome) {
	if len(out.Destinations) == 0 {
		return
	}
	out.Weights = map[string]uint32{}
	var total uint32
	for _, d := range out.Destinations {
		total += d.Weight
	}
	for _, d := range out.Destinations {
		// Percent of traffic (Istio writes weights out of 100; older Envoys summed to the total).
		out.Weights[d.Name] += d.Weight * 100 / max(total, 1)
	}
}

// proxyName names a proxy in outcomes: namespace/deployment (the harness's clients by pod name).
func proxyName(w Workload) string {
	name := w.Deployment
	if name == "" {
		name = w.Name
	}
	return w.Namespace + "/" + name
}

// traced records how the proxy's HTTP connection manager traces requests.
func (o *Outcome) traced(w Workload, h *hcm.HttpConnectionManager) {
	if o.Tracing == nil {
		o.Tracing = map[string]string{}
	}
	o.Tracing[proxyName(w)] = tracingOf(h)
}

// tracingOf reads the tracer (OpenTelemetry or Zipkin) and its sampling from an HTTP connection manager.
func tracingOf(h *hcm.HttpConnectionManager) string {
	t := h.GetTracing()
	if t == nil || t.GetProvider() == nil {
		return "off"
	}
	cfg := t.GetProvider().GetTypedConfig()
	var cluster string
	switch cfg.GetTypeUrl() {
	case "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig":
		c := &tracev3.OpenTelemetryConfig{}
		if err := cfg.UnmarshalTo(c); err != nil {
			return err.Error()
		}
		cluster = c.GetGrpcService().GetEnvoyGrpc().GetClusterName()
		if cluster == "" {
			cluster = c.GetHttpService().GetHttpUri().GetCluster()
		}
	case "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig":
		c := &tracev3.ZipkinConfig{}
		if err := cfg.UnmarshalTo(c); err != nil {
			return err.Error()
		}
		cluster = c.GetCollectorCluster()
	default:
		return t.GetProvider().GetName() + " (not read)"
	}
	_, _, _, host := parseCluster(cluster)
	return fmt.Sprintf("%s %g%%", host, t.GetRandomSampling().GetValue())
}

func filterChain(sim *simulation.Simulation, res simulation.Result) *listener.FilterChain {
	l := xdstest.ExtractListener(res.ListenerMatched, sim.Listeners)
	if l == nil {
		return nil
	}
	// Gateways give several chains one name (one per server TLS setting); the simulation
	// reports the name and the route config it reached, which tells them apart.
	// A chain without HTTP (TLS passed through) reached no route config.
	var first *listener.FilterChain
	for _, fc := range append(l.FilterChains, l.DefaultFilterChain) {
		if fc == nil || fc.Name != res.FilterChainMatched {
			continue
		}
		if first == nil {
			first = fc
		}
		h := xdstest.ExtractHTTPConnectionManager(nil, fc)
		if h != nil && res.RouteConfigMatched != "" && h.GetRds().GetRouteConfigName() == res.RouteConfigMatched {
			return fc
		}
		if h == nil && res.RouteConfigMatched == "" {
			return fc
		}
	}
	return first
}

func virtualHost(sim *simulation.Simulation, h *hcm.HttpConnectionManager, res simulation.Result) *route.VirtualHost {
	rc := h.GetRouteConfig()
	if rc == nil {
		rc = xdstest.ExtractRouteConfigurations(sim.Routes)[h.GetRds().GetRouteConfigName()]
	}
	for _, vh := range rc.GetVirtualHosts() {
		if vh.Name == res.VirtualHostMatched {
			return vh
		}
	}
	return nil
}

// firstRoute is the virtual host's first route whose match the request satisfies (nil: none).
func firstRoute(vh *route.VirtualHost, r *Request) (*route.Route, error) {
	for _, cand := range vh.GetRoutes() {
		ok, err := MatchRoute(cand.Match, r)
		if err != nil || ok {
			return cand, err
		}
	}
	return nil, nil
}

// parseCluster splits "outbound|9080|v2|reviews.bookinfo.svc.cluster.local".
func parseCluster(name string) (dir string, port int, subset, host string) {
	parts := strings.Split(name, "|")
	if len(parts) != 4 {
		return "", 0, "", name
	}
	port, _ = strconv.Atoi(parts[1])
	return parts[0], port, parts[2], parts[3]
}

// clusterLabel names a destination the way expectations do: its subset, else its host.
func clusterLabel(name string) string {
	_, _, subset, host := parseCluster(name)
	if subset != "" {
		return subset
	}
	return host
}

// hasAutoMtls: the cluster switches to Istio mTLS for endpoints labelled tlsMode: istio.
func hasAutoMtls(c *cluster.Cluster) bool {
	for _, m := range c.TransportSocketMatches {
		if m.Name == "tlsMode-istio" && istioMtlsSocket(m.GetTransportSocket()) {
			return true
		}
	}
	return false
}

// istioMtlsSocket: a TLS transport socket presenting the workload's Istio certificate (SDS "default").
func istioMtlsSocket(ts *core.TransportSocket) bool {
	if ts == nil {
		return false
	}
	ctx := &tlsv3.UpstreamTlsContext{}
	if ts.GetTypedConfig().UnmarshalTo(ctx) != nil {
		return false
	}
	for _, s := range ctx.GetCommonTlsContext().GetTlsCertificateSdsSecretConfigs() {
		if s.Name == "default" {
			return true
		}
	}
	return false
}

// upstreamSni is the SNI the cluster's TLS sends (Istio mTLS included), for the next proxy's filter chain match.
func upstreamSni(c *cluster.Cluster) string {
	sockets := []*core.TransportSocket{c.GetTransportSocket()}
	for _, m := range c.TransportSocketMatches {
		sockets = append(sockets, m.GetTransportSocket())
	}
	for _, ts := range sockets {
		ctx := &tlsv3.UpstreamTlsContext{}
		if ts != nil && ts.GetTypedConfig().UnmarshalTo(ctx) == nil && ctx.Sni != "" {
			return ctx.Sni
		}
	}
	return ""
}

// originatedTLS: the cluster opens TLS itself (DestinationRule tls SIMPLE/MUTUAL), not Istio mTLS.
func originatedTLS(c *cluster.Cluster) (string, bool) {
	ts := c.GetTransportSocket()
	if ts == nil || istioMtlsSocket(ts) {
		return "", false
	}
	ctx := &tlsv3.UpstreamTlsContext{}
	if ts.GetTypedConfig().UnmarshalTo(ctx) != nil {
		return "", false
	}
	return ctx.Sni, true
}

func circuitBreakerOf(c *cluster.Cluster) *CircuitBreaker {
	cb := &CircuitBreaker{}
	if t := c.GetCircuitBreakers().GetThresholds(); len(t) > 0 {
		// Istio writes its defaults (2^32-1) when the user sets nothing: report only what was set.
		if v := t[0].GetMaxConnections().GetValue(); v != 4294967295 {
			cb.MaxConnections = v
		}
		if v := t[0].GetMaxPendingRequests().GetValue(); v != 4294967295 {
			cb.MaxPendingRequests = v
		}
	}
	if o := c.TypedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]; o != nil {
		opts := &httpopts.HttpProtocolOptions{}
		if o.UnmarshalTo(opts) == nil {
			cb.MaxRequestsPerConnection = opts.GetCommonHttpProtocolOptions().GetMaxRequestsPerConnection().GetValue()
		}
	}
	if od := c.OutlierDetection; od != nil {
		cb.Consecutive5xxErrors = od.GetConsecutive_5Xx().GetValue()
		cb.Interval = durationString(od.Interval)
		cb.BaseEjectionTime = durationString(od.BaseEjectionTime)
		cb.MaxEjectionPercent = od.GetMaxEjectionPercent().GetValue()
	}
	if *cb == (CircuitBreaker{}) {
		return nil
	}
	return cb
}

// percentOr reads a FractionalPercent; unset is def (Envoy: 0 for faults, 100 for mirrors).
func percentOr(p *typev3.FractionalPercent, def float64) float64 {
	if p == nil {
		return def
	}
	n := float64(p.Numerator)
	switch p.Denominator {
	case typev3.FractionalPercent_TEN_THOUSAND:
		return n / 100
	case typev3.FractionalPercent_MILLION:
		return n / 10000
	}
	return n
}

func durationString(d *durationpb.Duration) string {
	if d == nil {
		return ""
	}
	return strconv.FormatFloat(d.AsDuration().Seconds(), 'f', -1, 64) + "s"
}

func redirectStatus(c route.RedirectAction_RedirectResponseCode) int {
	switch c {
	case route.RedirectAction_FOUND:
		return 302
	case route.RedirectAction_SEE_OTHER:
		return 303
	case route.RedirectAction_TEMPORARY_REDIRECT:
		return 307
	case route.RedirectAction_PERMANENT_REDIRECT:
		return 308
	}
	return 301
}

// redirectLocation follows Envoy's RedirectAction: scheme (https_redirect or scheme_redirect,
// else the request's), host and port (the request's unless redirected; a standard port is
// dropped when the scheme changes), and path with its query unless path_redirect replaces it.
func redirectLocation(a *route.RedirectAction, r *Request, match *route.RouteMatch) string {
	scheme := orDefault(r.Scheme, "http")
	if a.GetHttpsRedirect() {
		scheme = "https"
	} else if s := a.GetSchemeRedirect(); s != "" {
		scheme = s
	}
	host, port, hasPort := strings.Cut(r.Authority, ":")
	if a.HostRedirect != "" {
		host = a.HostRedirect
	}
	switch {
	case a.PortRedirect != 0:
		host += ":" + strconv.Itoa(int(a.PortRedirect))
	case hasPort && !(scheme != orDefault(r.Scheme, "http") && (port == "80" || port == "443")):
		host += ":" + port
	}
	path := r.Path
	if p := a.GetPathRedirect(); p != "" {
		path = p
	} else if p := a.GetPrefixRewrite(); p != "" && match != nil {
		path = p + strings.TrimPrefix(path, match.GetPrefix()+match.GetPath())
	}
	return scheme + "://" + host + path
}

func headerValues(opts []*core.HeaderValueOption) map[string]string {
	if len(opts) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, o := range opts {
		out[o.GetHeader().GetKey()] = o.GetHeader().GetValue()
	}
	return out
}

func merged(ms ...map[string]string) map[string]string {
	var out map[string]string
	for _, m := range ms {
		for k, v := range m {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = v
		}
	}
	return out
}

func headersOf(r *Request) http.Header {
	h := http.Header{}
	for k, v := range r.Headers {
		h.Set(k, v)
	}
	return h
}

func hostOnly(authority string) string {
	h, _, _ := strings.Cut(authority, ":")
	return h
}

func hasLabels(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
