package semantics

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	istiolog "istio.io/istio/pkg/log"
)

var (
	examplesDir = flag.String("examples", "../../dist/examples", "directory of synthesized examples and their <name>.expectations.json")
	only        = flag.String("example", "", "run only this example")
	verbose     = flag.Bool("show", false, "print every outcome, passing or not")
)

var examplesRun, assertionsRun, assertionsFailed atomic.Int64

// TestMain silences istiod's logs (thousands of lines per example) and prints the summary line last.
func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("SEMANTICS_ISTIOD_LOG") == "" {
		for _, s := range istiolog.Scopes() {
			s.SetOutputLevel(istiolog.NoneLevel)
		}
	}
	code := m.Run()
	if examplesRun.Load() > 0 {
		fmt.Printf("semantics: %d examples, %d assertions, %d failed\n", examplesRun.Load(), assertionsRun.Load(), assertionsFailed.Load())
	}
	os.Exit(code)
}

// TestExamples proves every example's expectations against the config istiod generates for it.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(*examplesDir, "*.expectations.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no *.expectations.json in %s: run scripts/synth-examples.ts first", *examplesDir)
	}
	keys, jwksURL := testIssuer(t)
	var nothing []string
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".expectations.json")
		if *only != "" && name != *only {
			continue
		}
		t.Run(name, func(t *testing.T) {
			ef, err := ReadExpectations(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(ef.Expectations) == 0 {
				nothing = append(nothing, name)
				t.Skip("no intent in this example promises a request")
			}
			examplesRun.Add(1)
			assertionsRun.Add(int64(len(ef.Expectations)))
			failures := RunExpectations(t, filepath.Join(*examplesDir, name), ef, keys, jwksURL)
			assertionsFailed.Add(int64(len(failures)))
			for _, msg := range failures {
				t.Error(msg)
			}
		})
	}
	if len(nothing) > 0 {
		fmt.Printf("semantics: nothing to prove in %s (no traffic intents)\n", strings.Join(nothing, ", "))
	}
}

// testIssuer makes the harness's issuer keys and serves them for the test's duration.
func testIssuer(t *testing.T) (*TestIssuerKeys, string) {
	keys, err := NewTestIssuerKeys()
	if err != nil {
		t.Fatal(err)
	}
	url, stop, err := keys.ServeJwks()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return keys, url
}

// RunExpectations loads an example (its jwksUris pointed at jwksURL) and returns one
// readable message per broken promise.
func RunExpectations(t *testing.T, dir string, ef *ExpectationFile, keys *TestIssuerKeys, jwksURL string) []string {
	fx, err := LoadFixture(dir, jwksURL, ef.ExternalGateways())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range fx.Skipped {
		t.Logf("not loaded into istiod: %s", s)
	}
	if fx.MeshConfig != nil {
		t.Logf("mesh config from %s", fx.MeshConfigFrom)
	}
	tr := NewTracer(NewMesh(t, fx), keys)
	var failures []string
	for _, e := range ef.Expectations {
		got, err := tr.SendRepeated(e.Request)
		var diff string
		if err == nil {
			diff, err = Diff(e.Expect, got)
		}
		if *verbose {
			b, _ := json.Marshal(got)
			t.Logf("%s: %s\n    %s", e.By, e.Promise, b)
		}
		if err == nil && diff == "" {
			continue
		}
		req, _ := json.Marshal(e.Request)
		msg := fmt.Sprintf("%s promises %q\n    request: %s\n", e.By, e.Promise, req)
		if err != nil {
			msg += "    cannot run: " + err.Error()
		} else {
			msg += "    " + strings.ReplaceAll(diff, "\n", "\n    ") + fmt.Sprintf("\n    (reason: %s)", got.Reason)
		}
		failures = append(failures, msg)
	}
	return failures
}
