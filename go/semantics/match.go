package semantics

// Envoy's matchers, evaluated over a request the way Envoy documents them
// (envoy.type.matcher.v3 and envoy.config.route.v3). Only what istiod emits is
// needed; anything else is reported as unsupported rather than guessed.

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
)

// Request is one HTTP request as a filter chain sees it.
type Request struct {
	Method    string
	Scheme    string // "http" or "https" as the proxy received it
	Path      string // with query
	Authority string
	Headers   map[string]string // lower-case names
	Port      int               // destination port
	// PeerPrincipal is the caller's mTLS identity (URI SAN), "" for plaintext.
	PeerPrincipal string
	// Metadata is the dynamic metadata filters have written, by filter name.
	Metadata map[string]map[string]any
	// Opaque: the client's own TLS, which proxies pass through by SNI without reading HTTP.
	Opaque bool
}

// Header returns a request header as Envoy sees it, pseudo-headers included.
func (r *Request) Header(name string) (string, bool) {
	switch name {
	case ":method":
		return r.Method, true
	case ":path":
		return r.Path, true
	case ":authority", "host":
		return r.Authority, true
	case ":scheme":
		return orDefault(r.Scheme, "http"), true
	}
	v, ok := r.Headers[strings.ToLower(name)]
	return v, ok
}

// PathOnly is the path without its query string (what url_path and route path matchers see).
func (r *Request) PathOnly() string {
	p, _, _ := strings.Cut(r.Path, "?")
	return p
}

func (r *Request) query() url.Values {
	_, q, _ := strings.Cut(r.Path, "?")
	v, _ := url.ParseQuery(q)
	return v
}

// fullMatch is RE2 full-string matching, as Envoy's safe_regex.
func fullMatch(re, s string) (bool, error) {
	c, err := regexp.Compile("^(?:" + re + ")$")
	if err != nil {
		return false, fmt.Errorf("regex %q: %w", re, err)
	}
	return c.MatchString(s), nil
}

func matchString(m *matcher.StringMatcher, s string) (bool, error) {
	if m == nil {
		return true, nil
	}
	v := s
	fold := func(x string) string {
		if m.IgnoreCase {
			return strings.ToLower(x)
		}
		return x
	}
	switch p := m.MatchPattern.(type) {
	case *matcher.StringMatcher_Exact:
		return fold(v) == fold(p.Exact), nil
	case *matcher.StringMatcher_Prefix:
		return strings.HasPrefix(fold(v), fold(p.Prefix)), nil
	case *matcher.StringMatcher_Suffix:
		return strings.HasSuffix(fold(v), fold(p.Suffix)), nil
	case *matcher.StringMatcher_Contains:
		return strings.Contains(fold(v), fold(p.Contains)), nil
	case *matcher.StringMatcher_SafeRegex:
		return fullMatch(p.SafeRegex.GetRegex(), v)
	}
	return false, fmt.Errorf("unsupported string matcher %T", m.MatchPattern)
}

func matchHeader(h *route.HeaderMatcher, r *Request) (bool, error) {
	v, present := r.Header(h.Name)
	if !present && h.TreatMissingHeaderAsEmpty {
		v, present = "", true
	}
	presentType, isPresentType := h.HeaderMatchSpecifier.(*route.HeaderMatcher_PresentMatch)
	if !present {
		// Envoy's HeaderUtility::matchHeaders: a missing header matches only a present_match
		// asking for absence (or, inverted, one asking for presence).
		if !isPresentType {
			return false, nil
		}
		if h.InvertMatch {
			return presentType.PresentMatch, nil
		}
		return !presentType.PresentMatch, nil
	}
	var ok bool
	var err error
	switch s := h.HeaderMatchSpecifier.(type) {
	case *route.HeaderMatcher_PresentMatch:
		ok = s.PresentMatch
	case *route.HeaderMatcher_StringMatch:
		ok, err = matchString(s.StringMatch, v)
	case *route.HeaderMatcher_ExactMatch:
		ok = v == s.ExactMatch
	case *route.HeaderMatcher_PrefixMatch:
		ok = strings.HasPrefix(v, s.PrefixMatch)
	case *route.HeaderMatcher_SuffixMatch:
		ok = strings.HasSuffix(v, s.SuffixMatch)
	case *route.HeaderMatcher_ContainsMatch:
		ok = strings.Contains(v, s.ContainsMatch)
	case *route.HeaderMatcher_SafeRegexMatch:
		ok, err = fullMatch(s.SafeRegexMatch.GetRegex(), v)
	case nil:
		ok = true
	default:
		return false, fmt.Errorf("unsupported header matcher %T", s)
	}
	if err != nil {
		return false, err
	}
	return ok != h.InvertMatch, nil
}

// MatchRoute evaluates a route's whole match: path, headers and query parameters.
func MatchRoute(m *route.RouteMatch, r *Request) (bool, error) {
	path := r.PathOnly()
	cs := m.CaseSensitive == nil || m.CaseSensitive.Value
	fold := func(s string) string {
		if cs {
			return s
		}
		return strings.ToLower(s)
	}
	switch p := m.PathSpecifier.(type) {
	case *route.RouteMatch_Prefix:
		if !strings.HasPrefix(fold(path), fold(p.Prefix)) {
			return false, nil
		}
	case *route.RouteMatch_Path:
		if fold(path) != fold(p.Path) {
			return false, nil
		}
	case *route.RouteMatch_SafeRegex:
		ok, err := fullMatch(p.SafeRegex.GetRegex(), path)
		if err != nil || !ok {
			return false, err
		}
	case *route.RouteMatch_PathSeparatedPrefix:
		pre := fold(p.PathSeparatedPrefix)
		fp := fold(path)
		if fp != pre && !strings.HasPrefix(fp, pre+"/") {
			return false, nil
		}
	default:
		return false, fmt.Errorf("unsupported path matcher %T", p)
	}
	for _, h := range m.Headers {
		ok, err := matchHeader(h, r)
		if err != nil || !ok {
			return false, err
		}
	}
	q := r.query()
	for _, qp := range m.QueryParameters {
		vals, present := q[qp.Name]
		switch s := qp.QueryParameterMatchSpecifier.(type) {
		case *route.QueryParameterMatcher_PresentMatch:
			if present != s.PresentMatch {
				return false, nil
			}
		case *route.QueryParameterMatcher_StringMatch:
			if !present {
				return false, nil
			}
			ok, err := matchString(s.StringMatch, vals[0])
			if err != nil || !ok {
				return false, err
			}
		}
	}
	switch {
	case m.RuntimeFraction != nil:
		return false, fmt.Errorf("runtime_fraction route matches are not simulated")
	case len(m.DynamicMetadata) > 0:
		// Istio's routes on JWT claims (@request.auth.claims): picked after jwt_authn re-clears the route cache.
		return false, fmt.Errorf("routes on dynamic metadata (JWT claims) are not simulated")
	case len(m.Cookies) > 0, len(m.FilterState) > 0, m.TlsContext != nil, m.Grpc != nil:
		return false, fmt.Errorf("route matches on cookies, filter state, TLS context or gRPC are not simulated")
	}
	return true, nil
}
