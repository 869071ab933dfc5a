package semantics

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"istio.io/istio/pilot/pkg/features"
	"istio.io/istio/pkg/test"
)

// A test that cannot fail proves nothing: deliberately broken copies of the
// examples must each break a promise, with a diff that says what changed.
func TestBrokenCopiesFail(t *testing.T) {
	cases := []struct {
		example, name string
		edit          func(yaml string) string
		wantInDiff    string
	}{
		{"fault-delay", "a delay changed", func(y string) string { return strings.Replace(y, "fixedDelay: 7s", "fixedDelay: 1s", 1) },
			`delay: want {"fixed":"7s","percent":100}, got {"fixed":"1s","percent":100}`},
		{"bookinfo", "a header value changed", func(y string) string { return strings.Replace(y, "exact: jason", "exact: jasn", 1) },
			`weights: want {"v2":100}, got {"v1":100}`},
		{"deny-path", "a deny path removed", func(y string) string { return strings.Replace(y, "              - /admin\n", "", 1) },
			`status: want 403, got 200`},
		{"traffic-shift", "weights changed", func(y string) string {
			return strings.Replace(strings.Replace(y, "weight: 50", "weight: 80", 1), "weight: 50", "weight: 20", 1)
		}, `weights: want {"v1":50,"v3":50}, got {"v1":80,"v3":20}`},
		{"rate-limit", "a bucket enlarged", func(y string) string { return strings.Replace(y, "max_tokens: 5\n", "max_tokens: 50\n", 1) },
			`status: want 429, got 200`},
		{"rate-limit", "a quota's configuration lost", func(y string) string {
			return strings.Replace(y, "requests_per_unit: 1000", "requests_per_unit: 10", 1)
		},
			`"limits":["10/hour"]`},
		{"routing-gateway-api", "HTTPRoute weights changed", func(y string) string {
			return strings.Replace(strings.Replace(y, "weight: 50", "weight: 80", 1), "weight: 50", "weight: 20", 1)
		}, `got {"reviews-v1.bookinfo.svc.cluster.local":80,"reviews-v3.bookinfo.svc.cluster.local":20}`},
		{"routing-gateway-api", "the TLSRoute's ReferenceGrant removed", func(y string) string {
			return strings.Replace(y, "      kind: TLSRoute\n      namespace: bookinfo", "      kind: HTTPRoute\n      namespace: bookinfo", 1)
		}, `delivered: want true, got false`},
		{"gateway-api-deployed", "GRPCRoute weights changed", func(y string) string {
			head, route, found := strings.Cut(y, "kind: GRPCRoute")
			if !found {
				return y
			}
			return head + "kind: GRPCRoute" + strings.Replace(strings.Replace(route, "weight: 80", "weight: 50", 1), "weight: 20", "weight: 50", 1)
		}, `got {"greeter-v1.bookinfo.svc.cluster.local":50,"greeter-v2.bookinfo.svc.cluster.local":50}`},
		{"gateway-api-deployed", "the token policy's exemption for passed-through TLS removed", func(y string) string {
			return strings.Replace(y, "      when:\n        - key: connection.sni\n          notValues:\n            - ledger.example.com\n", "", 1)
		}, `connection closed by RBAC`},
		{"observability", "tracing sampled less", func(y string) string {
			return strings.Replace(y, "randomSamplingPercentage: 100", "randomSamplingPercentage: 1", 1)
		}, `jaeger-collector.istio-system.svc.cluster.local 1%`},
	}
	keys, jwksURL := testIssuer(t)
	for _, c := range cases {
		t.Run(c.example+"/"+c.name, func(t *testing.T) {
			src := filepath.Join(*examplesDir, c.example)
			ef, err := ReadExpectations(src + ".expectations.json")
			if err != nil {
				t.Fatal(err)
			}
			dir := brokenCopy(t, c.example, c.edit)
			failures := RunExpectations(t, dir, ef, keys, jwksURL)
			if len(failures) == 0 {
				t.Fatalf("%s: the broken copy (%s) keeps every promise", c.example, c.name)
			}
			all := strings.Join(failures, "\n")
			if !strings.Contains(all, c.wantInDiff) {
				t.Fatalf("%s: the failure does not show %q:\n%s", c.example, c.wantInDiff, all)
			}
			t.Logf("%s fails as it should:\n%s", c.name, all)
		})
	}
}

// Offline, istiod's own JWKS fetch fails and it inlines a key no token matches:
// every token is refused (fail closed). The harness points jwksUris at its test keys;
// this shows what happens without that substitution.
func TestRemoteJwksUnreachableFailsClosed(t *testing.T) {
	ef, err := ReadExpectations(filepath.Join(*examplesDir, "jwt.expectations.json"))
	if err != nil {
		t.Fatal(err)
	}
	var valid *Expectation
	for i, e := range ef.Expectations {
		var want struct{ Token string }
		_ = json.Unmarshal(e.Expect, &want)
		if e.Request.Token != nil && !e.Request.Token.Forged && want.Token == "valid" {
			valid = &ef.Expectations[i]
		}
	}
	if valid == nil {
		t.Fatal("the jwt example promises no valid token")
	}
	fx, err := LoadFixture(filepath.Join(*examplesDir, "jwt"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := NewTestIssuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewTracer(NewMesh(t, fx), keys).Send(valid.Request)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != 401 || got.Token != "Jwt verification fails" {
		t.Fatalf("with istiod's failed fetch a valid token should get 401 (Jwt verification fails), got %d (%s)", got.Status, got.Token)
	}
}

// The same for the ambient proof: broken copies of the ambient example must each fail it.
func TestBrokenAmbientCopiesFail(t *testing.T) {
	cases := []struct {
		name       string
		edit       func(yaml string) string
		wantInDiff string
	}{
		{"productpage's waypoint label removed", func(y string) string {
			return strings.Replace(y, "    istio.io/ingress-use-waypoint: \"true\"\n    istio.io/use-waypoint: waypoint\n", "    istio.io/ingress-use-waypoint: \"true\"\n", 1)
		}, `(attached to Service productpage): istiod binds the Service to no waypoint, so the policy applies nowhere`},
		{"the waypoint made an ordinary gateway", func(y string) string {
			return strings.Replace(y, "gatewayClassName: istio-waypoint", "gatewayClassName: istio", 1)
		}, `istiod binds it to waypoint "error`},
		{"an HTTP attribute in a policy ztunnel enforces", func(y string) string {
			return strings.Replace(y, "            notPrincipals:\n              - cluster.local/ns/bookinfo/sa/waypoint\n      to:\n        - operation:\n",
				"            notPrincipals:\n              - cluster.local/ns/bookinfo/sa/waypoint\n      to:\n        - operation:\n            methods:\n              - POST\n", 1)
		}, `istiod converts it for ztunnel with UnsupportedValue: ztunnel does not support HTTP attributes`},
	}
	test.SetForTest(t, &features.EnableAmbient, true)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx, err := LoadFixture(brokenCopy(t, "bookinfo-ambient", c.edit), "", nil)
			if err != nil {
				t.Fatal(err)
			}
			_, failures := ProveAmbient(t, fx)
			all := strings.Join(failures, "\n")
			if !strings.Contains(all, c.wantInDiff) {
				t.Fatalf("the failure does not show %q:\n%s", c.wantInDiff, all)
			}
			t.Logf("%s fails as it should:\n%s", c.name, all)
		})
	}
}

// brokenCopy writes the example's YAML, edited, into a temporary directory and returns it; an edit
// that changes nothing fails the test (the example changed under it).
func brokenCopy(t *testing.T, example string, edit func(yaml string) string) string {
	src := filepath.Join(*examplesDir, example)
	dir := filepath.Join(t.TempDir(), example)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(src, "*.k8s.yaml"))
	changed := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		edited := edit(string(b))
		changed = changed || edited != string(b)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !changed {
		t.Fatalf("the edit did not apply to %s: the example changed, update this test", example)
	}
	return dir
}
