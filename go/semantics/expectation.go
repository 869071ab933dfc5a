package semantics

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
)

// ExpectationFile is what scripts/synth-examples.ts writes beside an example's YAML:
// the promises of the example's intents (and any the example adds by hand).
type ExpectationFile struct {
	Example      string        `json:"example"`
	Expectations []Expectation `json:"expectations"`
}

// Expectation: a request and the part of its Outcome the intent promises.
type Expectation struct {
	By      string          `json:"by"`
	Promise string          `json:"promise"`
	Request RequestSpec     `json:"request"`
	Expect  json.RawMessage `json:"expect"`
}

// RequestSpec says who sends what where. Exactly one entry: a mesh client (From),
// the world through a gateway (Via), or a workload's own port (To).
type RequestSpec struct {
	From *Client      `json:"from,omitempty"`
	Via  *ServiceRef  `json:"via,omitempty"`
	To   *WorkloadRef `json:"to,omitempty"`
	// Scheme through a gateway: "http" or "https" (TLS with SNI = Host).
	Scheme  string            `json:"scheme,omitempty"`
	Host    string            `json:"host"`
	Port    int               `json:"port,omitempty"`
	Method  string            `json:"method,omitempty"`
	Path    string            `json:"path,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Token   *Token            `json:"token,omitempty"`
	// TLS: the client speaks TLS itself (SNI = Host), an opaque stream to the proxies.
	TLS bool `json:"tls,omitempty"`
	// Repeat sends the request this many times at once (rate limit buckets are shared, nothing
	// refills); the outcome is the last one's, with how many passed a local rate limit.
	Repeat int `json:"repeat,omitempty"`
}

// Client is a caller: a sidecar in a namespace with a service account, or a pod outside the mesh.
type Client struct {
	Namespace      string `json:"namespace"`
	ServiceAccount string `json:"serviceAccount,omitempty"`
	OutsideMesh    bool   `json:"outsideMesh,omitempty"`
}

// ServiceRef names a gateway: its Service, or the labels of gateway pods the example does
// not deploy (the harness then adds them).
type ServiceRef struct {
	Namespace string            `json:"namespace"`
	Service   string            `json:"service,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// ExternalGateways lists the gateways the expectations reach by labels.
func (f *ExpectationFile) ExternalGateways() []WorkloadRef {
	var out []WorkloadRef
	for _, e := range f.Expectations {
		if v := e.Request.Via; v != nil && v.Service == "" {
			out = append(out, WorkloadRef{Namespace: v.Namespace, Labels: v.Labels})
		}
	}
	return out
}

// WorkloadRef: pods in a namespace carrying these labels.
type WorkloadRef struct {
	Namespace string            `json:"namespace"`
	Labels    map[string]string `json:"labels"`
}

// Token is a JWT the harness signs with its test issuer key (Forged: with a key no JWKS holds).
type Token struct {
	Claims map[string]any `json:"claims"`
	Forged bool           `json:"forged,omitempty"`
}

// ReadExpectations loads an example's expectation file.
func ReadExpectations(path string) (*ExpectationFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f ExpectationFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// Diff compares the promised fields with the outcome; "" when every promised field holds.
// Only the fields the expectation names are compared; each mismatch is one line.
func Diff(expect json.RawMessage, got Outcome) (string, error) {
	var want map[string]any
	dec := json.NewDecoder(strings.NewReader(string(expect)))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		return "", err
	}
	// Reject promises about fields the outcome does not have: a typo must not pass silently.
	var known map[string]any
	b, _ := json.Marshal(Outcome{Weights: map[string]uint32{"x": 1}, Destinations: []Destination{{}}, Delay: &Delay{}, Abort: &Abort{},
		Mirror: &Mirror{}, Retries: &Retries{}, CircuitBreaker: &CircuitBreaker{}, Upstream: &Upstream{}, Via: []string{""}, Reason: "x", Host: "x",
		ResponseHeaders: map[string]map[string]string{"x": {}}, Connection: "x", Delivered: true, Token: "x", Policies: map[string]string{"x": ""}, Redirect: "x", Timeout: "x",
		Tracing: map[string]string{"x": ""}, LocalRateLimit: &LocalLimit{}, RateLimit: &GlobalLimit{}})
	_ = json.Unmarshal(b, &known)
	gb, _ := json.Marshal(got)
	var have map[string]any
	gdec := json.NewDecoder(strings.NewReader(string(gb)))
	gdec.UseNumber()
	_ = gdec.Decode(&have)
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		if _, ok := known[k]; !ok {
			return "", fmt.Errorf("expectation names %q, which an outcome does not have", k)
		}
		// Weights are compared whole (a missing destination is a difference); other objects on the promised keys.
		if !matches(normalize(want[k]), normalize(have[k]), k == "weights") {
			lines = append(lines, fmt.Sprintf("%s: want %s, got %s", k, compactJSON(want[k]), compactJSON(have[k])))
		}
	}
	return strings.Join(lines, "\n"), nil
}

// matches: want == have, where an object in want only constrains the keys it names (unless exact).
func matches(want, have any, exact bool) bool {
	w, ok := want.(map[string]any)
	h, hok := have.(map[string]any)
	if !ok || exact {
		return reflect.DeepEqual(want, have)
	}
	if !hok {
		h = map[string]any{}
	}
	for k, v := range w {
		if !matches(v, h[k], false) {
			return false
		}
	}
	return true
}

// normalize makes numbers comparable (json.Number "100" vs "100.0").
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

func compactJSON(v any) string {
	if v == nil {
		return "(nothing)"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
