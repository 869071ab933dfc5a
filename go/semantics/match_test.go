package semantics

import (
	"encoding/json"
	"testing"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	rbac "github.com/envoyproxy/go-control-plane/envoy/config/rbac/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	jwtauthn "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/jwt_authn/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The evaluators on their own, against Envoy's documented semantics.

func exact(s string) *matcher.StringMatcher {
	return &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_Exact{Exact: s}}
}

func regex(s string) *matcher.StringMatcher {
	return &matcher.StringMatcher{MatchPattern: &matcher.StringMatcher_SafeRegex{SafeRegex: &matcher.RegexMatcher{Regex: s}}}
}

func header(name string, m *matcher.StringMatcher, invert bool) *route.HeaderMatcher {
	return &route.HeaderMatcher{Name: name, HeaderMatchSpecifier: &route.HeaderMatcher_StringMatch{StringMatch: m}, InvertMatch: invert}
}

func TestMissingHeaderFollowsEnvoy(t *testing.T) {
	present := func(want, invert bool) *route.HeaderMatcher {
		return &route.HeaderMatcher{Name: "x", HeaderMatchSpecifier: &route.HeaderMatcher_PresentMatch{PresentMatch: want}, InvertMatch: invert}
	}
	r := &Request{Path: "/"}
	// Istio's withoutHeaders renders present_match: true, inverted: it must match a request without the header.
	for _, c := range []struct {
		m    *route.HeaderMatcher
		want bool
	}{{present(true, false), false}, {present(true, true), true}, {present(false, false), true}, {present(false, true), false}} {
		if got, _ := matchHeader(c.m, r); got != c.want {
			t.Errorf("missing header, present_match=%v invert=%v: got %v, want %v", c.m.GetPresentMatch(), c.m.InvertMatch, got, c.want)
		}
	}
}

func TestMatchRoute(t *testing.T) {
	prefix := func(p string) *route.RouteMatch {
		return &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: p}}
	}
	cases := []struct {
		name string
		m    *route.RouteMatch
		req  Request
		want bool
	}{
		{"prefix", prefix("/api"), Request{Path: "/api/v1"}, true},
		{"prefix is not path-aware", prefix("/api"), Request{Path: "/apis"}, true},
		{"prefix ignores the query", prefix("/a"), Request{Path: "/a?x=/b"}, true},
		{"exact", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Path{Path: "/a"}}, Request{Path: "/a?q=1"}, true},
		{"exact is exact", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Path{Path: "/a"}}, Request{Path: "/a/"}, false},
		{"regex is anchored", &route.RouteMatch{PathSpecifier: &route.RouteMatch_SafeRegex{SafeRegex: &matcher.RegexMatcher{Regex: "/v[0-9]"}}}, Request{Path: "/xv1"}, false},
		{"separated prefix", &route.RouteMatch{PathSpecifier: &route.RouteMatch_PathSeparatedPrefix{PathSeparatedPrefix: "/api"}}, Request{Path: "/apis"}, false},
		{"separated prefix segment", &route.RouteMatch{PathSpecifier: &route.RouteMatch_PathSeparatedPrefix{PathSeparatedPrefix: "/api"}}, Request{Path: "/api/x"}, true},
		{"case-insensitive", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/API"}, CaseSensitive: wrapperspb.Bool(false)}, Request{Path: "/api"}, true},
		{"header exact", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, Headers: []*route.HeaderMatcher{header("end-user", exact("jason"), false)}},
			Request{Path: "/", Headers: map[string]string{"end-user": "jason"}}, true},
		{"header value differs", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, Headers: []*route.HeaderMatcher{header("end-user", exact("jason"), false)}},
			Request{Path: "/", Headers: map[string]string{"end-user": "json"}}, false},
		{"inverted header: a missing header never matches", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, Headers: []*route.HeaderMatcher{header("x", exact("a"), true)}},
			Request{Path: "/"}, false},
		{"inverted header", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, Headers: []*route.HeaderMatcher{header("x", exact("a"), true)}},
			Request{Path: "/", Headers: map[string]string{"x": "b"}}, true},
		{"cookie regex", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, Headers: []*route.HeaderMatcher{header("cookie", regex(`^(.*?;\s*)?(c=true)(;.*)?$`), false)}},
			Request{Path: "/", Headers: map[string]string{"cookie": "a=1; c=true"}}, true},
		{"method pseudo-header", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, Headers: []*route.HeaderMatcher{header(":method", exact("GET"), false)}},
			Request{Path: "/", Method: "POST"}, false},
		{"query parameter", &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}, QueryParameters: []*route.QueryParameterMatcher{{Name: "v",
			QueryParameterMatchSpecifier: &route.QueryParameterMatcher_StringMatch{StringMatch: exact("2")}}}}, Request{Path: "/?v=2"}, true},
	}
	for _, c := range cases {
		got, err := MatchRoute(c.m, &c.req)
		if err != nil || got != c.want {
			t.Errorf("%s: got %v (%v), want %v", c.name, got, err, c.want)
		}
	}
}

func TestEvalRbac(t *testing.T) {
	anyPrincipal := []*rbac.Principal{{Identifier: &rbac.Principal_Any{Any: true}}}
	fromNs := func(ns string) []*rbac.Principal {
		return []*rbac.Principal{{Identifier: &rbac.Principal_Authenticated_{Authenticated: &rbac.Principal_Authenticated{PrincipalName: regex(".*/ns/" + ns + "/.*")}}}}
	}
	path := func(p string) []*rbac.Permission {
		return []*rbac.Permission{{Rule: &rbac.Permission_UrlPath{UrlPath: &matcher.PathMatcher{Rule: &matcher.PathMatcher_Path{Path: exact(p)}}}}}
	}
	allowIngress := &rbac.RBAC{Action: rbac.RBAC_ALLOW, Policies: map[string]*rbac.Policy{
		"ns[a]-policy[from-ingress]-rule[0]": {Permissions: []*rbac.Permission{{Rule: &rbac.Permission_Any{Any: true}}}, Principals: fromNs("istio-ingress")},
	}}
	denyAdmin := &rbac.RBAC{Action: rbac.RBAC_DENY, Policies: map[string]*rbac.Policy{"ns[a]-policy[deny]-rule[0]": {Permissions: path("/admin"), Principals: anyPrincipal}}}
	gw := "spiffe://cluster.local/ns/istio-ingress/sa/gw"
	cases := []struct {
		name  string
		rules *rbac.RBAC
		req   Request
		allow bool
	}{
		{"ALLOW: matched", allowIngress, Request{Path: "/", PeerPrincipal: gw}, true},
		{"ALLOW: nothing matched denies", allowIngress, Request{Path: "/", PeerPrincipal: "spiffe://cluster.local/ns/x/sa/y"}, false},
		{"ALLOW: plain text has no principal", allowIngress, Request{Path: "/"}, false},
		{"DENY: matched denies", denyAdmin, Request{Path: "/admin?q"}, false},
		{"DENY: other path", denyAdmin, Request{Path: "/admins"}, true},
		{"no rules allow", nil, Request{Path: "/"}, true},
	}
	for _, c := range cases {
		d, err := EvalRbac(c.rules, &c.req)
		if err != nil || d.Allowed != c.allow {
			t.Errorf("%s: allowed=%v (%v), want %v", c.name, d.Allowed, err, c.allow)
		}
	}
	// Claims: a metadata matcher into jwt_authn's payload, a list value matched by one_of.
	claim := &rbac.Principal{Identifier: &rbac.Principal_Metadata{Metadata: &matcher.MetadataMatcher{Filter: jwtFilter,
		Path: []*matcher.MetadataMatcher_PathSegment{{Segment: &matcher.MetadataMatcher_PathSegment_Key{Key: "payload"}}, {Segment: &matcher.MetadataMatcher_PathSegment_Key{Key: "groups"}}},
		Value: &matcher.ValueMatcher{MatchPattern: &matcher.ValueMatcher_ListMatch{ListMatch: &matcher.ListMatcher{MatchPattern: &matcher.ListMatcher_OneOf{OneOf: &matcher.ValueMatcher{
			MatchPattern: &matcher.ValueMatcher_StringMatch{StringMatch: exact("admin")}}}}}}}}}
	r := &Request{Metadata: map[string]map[string]any{jwtFilter: {"payload": map[string]any{"groups": []any{"dev", "admin"}}}}}
	if ok, err := matchPrincipal(claim, r); !ok || err != nil {
		t.Errorf("list claim: got %v %v", ok, err)
	}
	r.Metadata[jwtFilter]["payload"] = map[string]any{"groups": []any{"dev"}}
	if ok, _ := matchPrincipal(claim, r); ok {
		t.Errorf("list claim without admin matched")
	}
}

func TestEvalJwtAuthn(t *testing.T) {
	keys, err := NewTestIssuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := json.Marshal(keys.JWKS)
	provider := &jwtauthn.JwtProvider{Issuer: "https://issuer", PayloadInMetadata: "payload",
		JwksSourceSpecifier: &jwtauthn.JwtProvider_LocalJwks{LocalJwks: &corev3.DataSource{
			Specifier: &corev3.DataSource_InlineString{InlineString: string(jwks)}}},
		NormalizePayloadInMetadata: &jwtauthn.JwtProvider_NormalizePayload{SpaceDelimitedClaims: []string{"scope"}}}
	cfg := &jwtauthn.JwtAuthentication{Providers: map[string]*jwtauthn.JwtProvider{"p": provider},
		Rules: []*jwtauthn.RequirementRule{{Match: &route.RouteMatch{PathSpecifier: &route.RouteMatch_Prefix{Prefix: "/"}},
			RequirementType: &jwtauthn.RequirementRule_Requires{Requires: &jwtauthn.JwtRequirement{RequiresType: &jwtauthn.JwtRequirement_RequiresAny{
				RequiresAny: &jwtauthn.JwtRequirementOrList{Requirements: []*jwtauthn.JwtRequirement{
					{RequiresType: &jwtauthn.JwtRequirement_ProviderName{ProviderName: "p"}},
					{RequiresType: &jwtauthn.JwtRequirement_AllowMissing{}},
				}}}}}}}}
	sign := func(claims map[string]any, forged bool) string {
		tok, err := keys.Sign(claims, forged)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	cases := []struct {
		name   string
		token  string
		status int
	}{
		{"missing is allowed", "", 200},
		{"valid", sign(map[string]any{"iss": "https://issuer", "sub": "u", "scope": "read write"}, false), 200},
		{"forged", sign(map[string]any{"iss": "https://issuer", "sub": "u"}, true), 401},
		{"unknown issuer", sign(map[string]any{"iss": "https://other", "sub": "u"}, false), 401},
		{"expired", sign(map[string]any{"iss": "https://issuer", "sub": "u", "exp": time.Now().Add(-time.Hour).Unix()}, false), 401},
		{"not a JWT", "abc", 401},
		{"not yet valid", sign(map[string]any{"iss": "https://issuer", "sub": "u", "nbf": time.Now().Add(time.Hour).Unix()}, false), 401},
	}
	for _, c := range cases {
		r := &Request{Path: "/", Headers: map[string]string{}}
		if c.token != "" {
			r.Headers["authorization"] = "Bearer " + c.token
		}
		got, err := EvalJwtAuthn(cfg, r)
		if err != nil || got.Status != c.status {
			t.Errorf("%s: status %d (%s, %v), want %d", c.name, got.Status, got.Reason, err, c.status)
		}
		if c.name == "valid" {
			payload := r.Metadata[jwtFilter]["payload"].(map[string]any)
			if s, ok := payload["scope"].([]any); !ok || len(s) != 2 {
				t.Errorf("space-delimited scope not normalized to a list: %v", payload["scope"])
			}
			if _, kept := r.Headers["authorization"]; kept {
				t.Errorf("a verified token is stripped unless the provider forwards it")
			}
		}
	}
}

func TestHelpers(t *testing.T) {
	if got := percentOr(&typev3.FractionalPercent{Numerator: 1500, Denominator: typev3.FractionalPercent_TEN_THOUSAND}, 0); got != 15 {
		t.Errorf("percentOr: %v", got)
	}
	if got := percentOr(nil, 0); got != 0 {
		t.Errorf("an unset fault percentage is 0 in Envoy, got %v", got)
	}
	if got := redirectLocation(&route.RedirectAction{HostRedirect: "b.example.com"}, &Request{Scheme: "https", Authority: "a.example.com:8443", Path: "/x"}, nil); got != "https://b.example.com:8443/x" {
		t.Errorf("redirectLocation keeps scheme and port: %s", got)
	}
	if _, port, subset, host := parseCluster("outbound|9080|v2|reviews.a.svc.cluster.local"); port != 9080 || subset != "v2" || host != "reviews.a.svc.cluster.local" {
		t.Errorf("parseCluster: %d %s %s", port, subset, host)
	}
	if got := redirectLocation(&route.RedirectAction{SchemeRewriteSpecifier: &route.RedirectAction_HttpsRedirect{HttpsRedirect: true}}, &Request{Authority: "a.example.com:80", Path: "/x?y"}, nil); got != "https://a.example.com/x?y" {
		t.Errorf("redirectLocation: %s", got)
	}
	if got := policyName("ns[bookinfo]-policy[productpage-jwt]-rule[0]"); got != "productpage-jwt" {
		t.Errorf("policyName: %s", got)
	}
}

func TestDiff(t *testing.T) {
	got := Outcome{Status: 200, Weights: map[string]uint32{"v1": 90, "v2": 10}, Retries: &Retries{Attempts: 2, RetryOn: "5xx"}}
	cases := []struct {
		expect, want string
	}{
		{`{"status":200}`, ""},
		{`{"weights":{"v1":90}}`, `weights: want {"v1":90}, got {"v1":90,"v2":10}`},
		{`{"retries":{"attempts":2}}`, ""},
		{`{"delay":null}`, ""},
		{`{"status":403}`, "status: want 403, got 200"},
	}
	for _, c := range cases {
		d, err := Diff([]byte(c.expect), got)
		if err != nil || d != c.want {
			t.Errorf("Diff(%s) = %q (%v), want %q", c.expect, d, err, c.want)
		}
	}
	if _, err := Diff([]byte(`{"statuss":200}`), got); err == nil {
		t.Errorf("a misspelt field passed")
	}
}
