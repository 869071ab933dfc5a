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
	"sort"
	"strconv"
	"strings"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	fault "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/fault/v3"
	jwtauthn "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/jwt_authn/v3"
	rbachttp "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/rbac/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
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
	eds  map[string]map[string][]string // workload key -> cluster -> "ip:port"
}

func NewTracer(m *Mesh, keys *TestIssuerKeys) *Tracer {
	return &Tracer{Mesh: m, Keys: keys, eds: map[string]map[string][]string{}}
}

// hopState is what travels with the request from hop to hop.
type hopState struct {
	req    *Request
	hops   int
	first  bool // the first routing decision records timeouts, faults, mirror, retries
	out    *Outcome
	sender *Workload // the proxy that sends the next hop (nil: outside the mesh)
}

// Send runs one request and returns what it does.
func (tr *Tracer) Send(spec RequestSpec) (Outcome, error) {
	fx := tr.Mesh.Fixture
	req := &Request{Method: orDefault(spec.Method, "GET"), Path: orDefault(spec.Path, "/"), Authority: spec.Host,
		Headers: map[string]string{}}
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
	st := &hopState{req: req, first: true, out: out}
	switch {
	case spec.Via != nil:
		svc := fx.Services[spec.Via.Service+"."+spec.Via.Namespace]
		if svc == nil {
			return Outcome{}, fmt.Errorf("no Service %s/%s for the gateway", spec.Via.Namespace, spec.Via.Service)
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
		st.req.PeerPrincipal = ""
		status, reason := tr.proxyHop(gw, call, st)
		out.Status, out.Reason = status, reason
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
		st.sender = client
		req.Port = port
		out.Status, out.Reason = tr.deliver(*target, port, st)
	default:
		client, err := tr.client(spec.From, true)
		if err != nil {
			return Outcome{}, err
		}
		if client == nil || !client.Injected {
			// No proxy on the caller: it connects to a Service endpoint as kube-proxy would.
			svc := tr.serviceByHost(spec.Host)
			if svc == nil {
				return Outcome{}, fmt.Errorf("a caller outside the mesh can only reach a Service; %s is none", spec.Host)
			}
			w, port, err := tr.backend(svc, spec.Port)
			if err != nil {
				return Outcome{}, err
			}
			req.Port = port
			st.sender = client
			out.Status, out.Reason = tr.deliver(w, port, st)
			break
		}
		addr := "240.240.0.1" // a host without a Service IP (ServiceEntry, external): any address, the Host header decides
		if svc := tr.serviceByHost(spec.Host); svc != nil {
			addr = svc.Spec.ClusterIP
		}
		req.Port = spec.Port
		call := simulation.Call{Address: addr, Port: spec.Port, Protocol: simulation.HTTP, HostHeader: spec.Host,
			Path: req.Path, Headers: headersOf(req), CallMode: simulation.CallModeOutbound}
		out.Status, out.Reason = tr.proxyHop(*client, call, st)
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

// proxyHop runs a request through a proxy that routes it (a client sidecar or a gateway).
func (tr *Tracer) proxyHop(w Workload, call simulation.Call, st *hopState) (int, string) {
	st.hops++
	if st.hops > maxHops {
		return 0, "too many hops"
	}
	if w.Gateway {
		st.out.Via = append(st.out.Via, w.Namespace+"/"+w.Deployment)
	}
	sim := tr.Mesh.Simulation(w)
	res := sim.Run(call)
	switch res.Error {
	case nil:
	case simulation.ErrTLSRedirect:
		st.out.Redirect = "https://" + hostOnly(st.req.Authority) + st.req.Path
		return 301, "TLS required"
	case simulation.ErrNoVirtualHost, simulation.ErrNoRoute:
		return 404, "no route (" + res.Error.Error() + ")"
	default:
		return 0, fmt.Sprintf("refused at %s: %v", w.Name, res.Error)
	}
	fc := filterChain(sim, res)
	h := xdstest.ExtractHTTPConnectionManager(nil, fc)
	if h == nil {
		if res.ClusterMatched == "" {
			return 0, "no cluster for a TCP connection"
		}
		return tr.forward(w, []weighted{{cluster: res.ClusterMatched, weight: 100}}, nil, st)
	}
	vh := virtualHost(sim, h, res)
	var r *route.Route
	for _, cand := range vh.GetRoutes() {
		ok, err := MatchRoute(cand.Match, st.req)
		if err != nil {
			return 0, err.Error()
		}
		if ok {
			r = cand
			break
		}
	}
	if r == nil {
		return 404, "no route matched in " + vh.GetName()
	}
	if status, reason := tr.httpFilters(h, st.req, nil); status != 200 {
		return status, reason
	}
	return tr.routeAction(w, r, st)
}

// deliver is the last hop: the destination pod's inbound listener (or, without a proxy, the app).
func (tr *Tracer) deliver(w Workload, port int, st *hopState) (int, string) {
	st.hops++
	if !w.Injected {
		return 200, "answered by " + w.Deployment + " (no proxy)"
	}
	mtls := st.sender != nil && st.sender.Injected
	if mtls {
		st.req.PeerPrincipal = st.sender.Principal()
	} else {
		st.req.PeerPrincipal = ""
	}
	call := simulation.Call{Address: w.IP, Port: port, Protocol: simulation.HTTP, HostHeader: st.req.Authority,
		Path: st.req.Path, Headers: headersOf(st.req), CallMode: simulation.CallModeInbound}
	record := st.out.Connection == "" // the first destination reached speaks for the request
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
		st.out.Connection = map[bool]string{true: "mtls", false: "plaintext"}[mtls]
	}
	fc := filterChain(sim, res)
	h := xdstest.ExtractHTTPConnectionManager(nil, fc)
	if h == nil {
		return 200, "answered by " + w.Deployment + " (TCP)"
	}
	req := *st.req
	req.Port = port
	var rec *Outcome
	if record {
		rec = st.out
	}
	if status, reason := tr.httpFilters(h, &req, rec); status != 200 {
		return status, reason
	}
	return 200, "answered by " + w.Deployment
}

// httpFilters runs the HCM's authentication and authorization filters in their order.
// With record set, it also writes the token's verdict and every policy's own verdict.
func (tr *Tracer) httpFilters(h *hcm.HttpConnectionManager, r *Request, record *Outcome) (int, string) {
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
			res, err := EvalJwtAuthn(cfg, r, tr.Keys)
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
			if ok, err := matchPolicy(p, r); err == nil && ok {
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
	cluster string
	weight  uint32
	headers map[string]string
}

// routeAction applies a matched route: redirect, direct response, or forwarding with its policies.
func (tr *Tracer) routeAction(w Workload, r *route.Route, st *hopState) (int, string) {
	switch a := r.Action.(type) {
	case *route.Route_Redirect:
		st.out.Redirect = redirectLocation(a.Redirect, st.req)
		return redirectStatus(a.Redirect.ResponseCode), "redirect"
	case *route.Route_DirectResponse:
		return int(a.DirectResponse.Status), "direct response"
	case *route.Route_Route:
		ra := a.Route
		var dests []weighted
		if wc := ra.GetWeightedClusters(); wc != nil {
			for _, c := range wc.Clusters {
				if c.Weight.GetValue() > 0 {
					dests = append(dests, weighted{cluster: c.Name, weight: c.Weight.GetValue(), headers: headerValues(c.ResponseHeadersToAdd)})
				}
			}
		} else {
			dests = []weighted{{cluster: ra.GetCluster(), weight: 100}}
		}
		routeHeaders := headerValues(r.ResponseHeadersToAdd)
		for i := range dests {
			for k, v := range routeHeaders {
				if dests[i].headers == nil {
					dests[i].headers = map[string]string{}
				}
				dests[i].headers[k] = v
			}
		}
		if st.first {
			st.first = false
			st.out.Timeout = durationString(ra.Timeout)
			if rp := ra.RetryPolicy; rp != nil {
				st.out.Retries = &Retries{Attempts: rp.GetNumRetries().GetValue(), PerTryTimeout: durationString(rp.PerTryTimeout), RetryOn: rp.RetryOn}
			}
			if m := ra.RequestMirrorPolicies; len(m) > 0 {
				st.out.Mirror = &Mirror{Name: clusterLabel(m[0].Cluster), Percent: percentOf(m[0].GetRuntimeFraction().GetDefaultValue())}
			}
			if status, reason, done := tr.fault(r, st); done {
				return status, reason
			}
		}
		return tr.forward(w, dests, r, st)
	}
	return 0, fmt.Sprintf("unsupported route action %T", r.Action)
}

// fault records the route's fault filter config; an abort of every request ends it here.
func (tr *Tracer) fault(r *route.Route, st *hopState) (int, string, bool) {
	any := r.TypedPerFilterConfig["envoy.filters.http.fault"]
	if any == nil {
		return 0, "", false
	}
	f := &fault.HTTPFault{}
	if err := any.UnmarshalTo(f); err != nil {
		return 0, err.Error(), true
	}
	if d := f.Delay; d != nil {
		st.out.Delay = &Delay{Fixed: durationString(d.GetFixedDelay()), Percent: percentOf(d.Percentage)}
		if d.GetFaultDelaySecifier() != nil && d.GetHeaderDelay() != nil {
			return 0, "header-controlled delays are not simulated", true
		}
	}
	if ab := f.Abort; ab != nil {
		if _, ok := ab.ErrorType.(*fault.FaultAbort_HttpStatus); !ok {
			return 0, "only HTTP-status aborts are simulated", true
		}
		st.out.Abort = &Abort{Status: int(ab.GetHttpStatus()), Percent: percentOf(ab.Percentage)}
		if st.out.Abort.Percent >= 100 {
			return st.out.Abort.Status, "fault abort", true
		}
	}
	return 0, "", false
}

// forward follows every routed cluster to its endpoints and the next proxy.
func (tr *Tracer) forward(w Workload, dests []weighted, r *route.Route, st *hopState) (int, string) {
	var statuses []Destination
	for _, d := range dests {
		status, reason, workload := tr.followCluster(w, d.cluster, st)
		statuses = append(statuses, Destination{Name: clusterLabel(d.cluster), Weight: d.weight, Status: status, Workload: workload,
			ResponseHeaders: d.headers, Reason: reason})
	}
	// The hop nearest the answer records its destinations (an egress gateway's, not the
	// sidecar's route to that gateway); outer hops return after it.
	if st.out.Destinations == nil {
		st.out.Destinations = statuses
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
	status, reason := statuses[0].Status, statuses[0].Reason
	for _, d := range statuses[1:] {
		if d.Status != status {
			return -1, "destinations answer differently (see destinations)"
		}
	}
	return status, reason
}

// followCluster resolves a cluster the way Envoy would connect to it.
func (tr *Tracer) followCluster(w Workload, name string, st *hopState) (int, string, string) {
	switch name {
	case "BlackHoleCluster":
		return 502, "BlackHoleCluster (REGISTRY_ONLY or no route)", ""
	case "PassthroughCluster":
		st.out.Upstream = &Upstream{Host: hostOnly(st.req.Authority), Port: st.req.Port, TLS: "passthrough-or-plain"}
		return 200, "left the mesh through PassthroughCluster", ""
	}
	sim := tr.Mesh.Simulation(w)
	c := xdstest.ExtractCluster(name, sim.Clusters)
	if c == nil {
		return 503, "cluster " + name + " not found (NC)", ""
	}
	if st.out.CircuitBreaker == nil {
		st.out.CircuitBreaker = circuitBreakerOf(c)
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
		up := &Upstream{Host: host, Port: port}
		if sni, ok := originatedTLS(c); ok {
			up.TLS, up.Sni = "originated", sni
		}
		st.out.Upstream = up
		return 200, "answered by " + host + " outside the mesh", ""
	}
	eps := tr.endpoints(w)[name]
	if len(eps) == 0 {
		return 503, "no healthy upstream: " + name + " has no endpoints", ""
	}
	ip, portStr, _ := strings.Cut(eps[0], ":")
	port, _ := strconv.Atoi(portStr)
	next, ok := tr.Mesh.Fixture.PodsByIP[ip]
	if !ok {
		// A WorkloadEntry or a ServiceEntry endpoint: outside the example's pods.
		_, _, _, host := parseCluster(name)
		up := &Upstream{Host: host, Port: port}
		if sni, ok := originatedTLS(c); ok {
			up.TLS, up.Sni = "originated", sni
		}
		st.out.Upstream = up
		return 200, "answered by endpoint " + eps[0], ""
	}
	sender := w
	st.sender = &sender
	if next.Gateway {
		mtls := w.Injected && next.Injected && usesIstioMtls(c)
		call := simulation.Call{Port: port, Protocol: simulation.HTTP, HostHeader: st.req.Authority, Path: st.req.Path,
			Headers: headersOf(st.req), CallMode: simulation.CallModeGateway}
		if mtls {
			call.TLS, call.Sni = simulation.MTLS, upstreamSni(c)
			st.req.PeerPrincipal = w.Principal()
		}
		status, reason := tr.proxyHop(next, call, st)
		return status, reason, next.Deployment
	}
	if !usesIstioMtls(c) {
		// The sender talks plaintext (e.g. a DestinationRule with tls DISABLE).
		s := w
		s.Injected = false
		st.sender = &s
	}
	status, reason := tr.deliver(next, port, st)
	return status, reason, next.Deployment
}

func (tr *Tracer) endpoints(w Workload) map[string][]string {
	key := w.Name + "." + w.Namespace
	if e, ok := tr.eds[key]; ok {
		return e
	}
	e := xdstest.ExtractLoadAssignments(tr.Mesh.Server.Endpoints(tr.Mesh.Proxy(w)))
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

func filterChain(sim *simulation.Simulation, res simulation.Result) *listener.FilterChain {
	l := xdstest.ExtractListener(res.ListenerMatched, sim.Listeners)
	if l == nil {
		return nil
	}
	for _, fc := range append(l.FilterChains, l.DefaultFilterChain) {
		if fc != nil && fc.Name == res.FilterChainMatched {
			return fc
		}
	}
	return nil
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

func usesIstioMtls(c *cluster.Cluster) bool {
	for _, m := range c.TransportSocketMatches {
		if m.Name == "tlsMode-istio" {
			return true
		}
	}
	if ts := c.GetTransportSocket(); ts != nil {
		ctx := &tlsv3.UpstreamTlsContext{}
		if ts.GetTypedConfig().UnmarshalTo(ctx) == nil {
			for _, s := range ctx.GetCommonTlsContext().GetTlsCertificateSdsSecretConfigs() {
				if s.Name == "default" {
					return true
				}
			}
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
	if ts == nil || usesIstioMtls(c) {
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

func percentOf(p *typev3.FractionalPercent) float64 {
	if p == nil {
		return 100
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

func redirectLocation(a *route.RedirectAction, r *Request) string {
	scheme := "http"
	if a.GetHttpsRedirect() || a.GetSchemeRedirect() == "https" {
		scheme = "https"
	}
	host := hostOnly(r.Authority)
	if a.HostRedirect != "" {
		host = a.HostRedirect
	}
	if a.PortRedirect != 0 {
		host += ":" + strconv.Itoa(int(a.PortRedirect))
	}
	path := r.Path
	if p := a.GetPathRedirect(); p != "" {
		path = p
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
