package semantics

// Envoy's rate limit filters. local_ratelimit's token buckets are evaluated (repeated
// requests share them; no time passes between them, so nothing refills). ratelimit asks
// the global service, whose answer depends on counts in Redis: the harness reports what
// the proxy sends (domain, descriptors) and the limits the service's configuration (a
// ConfigMap of the example) holds for them, which is what the intent promises.

import (
	"fmt"
	"sort"
	"strings"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	localrl "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/local_ratelimit/v3"
	ratelimit "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ratelimit/v3"
	metadatav3 "github.com/envoyproxy/go-control-plane/envoy/type/metadata/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/protobuf/types/known/anypb"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

const (
	localRateLimitType  = "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit"
	globalRateLimitType = "type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit"
)

// LocalLimit is every token bucket a request took a token from ("<name>: <max> tokens, +<n> every <interval>",
// in the config's order) and how many of a repeated request passed.
type LocalLimit struct {
	Buckets []string `json:"buckets"`
	Passed  int      `json:"passed"`
}

// GlobalLimit is what a proxy asks the global rate limit service, and the limits the
// service's configuration holds for those descriptors ("none" when it holds none).
type GlobalLimit struct {
	Domain      string     `json:"domain"`
	Descriptors [][]string `json:"descriptors"`
	Limits      []string   `json:"limits"`
}

// routeContext is what the rate limit filters read besides the request: the proxy and the
// virtual host and route the request matched.
type routeContext struct {
	proxy string
	vh    *route.VirtualHost
	route *route.Route
	out   *Outcome // where rate limit facts go
}

// perFilterConfig is the most specific config of a filter: the route's, the virtual host's,
// else the filter's own.
func perFilterConfig(name string, own *anypb.Any, rc routeContext) *anypb.Any {
	if c := rc.route.GetTypedPerFilterConfig()[name]; c != nil {
		return c
	}
	if c := rc.vh.GetTypedPerFilterConfig()[name]; c != nil {
		return c
	}
	return own
}

// rateLimitsOf picks the rate_limits actions of a stage: the route's, or the virtual host's
// when the route has none (Envoy's default, vh_rate_limits OVERRIDE).
func rateLimitsOf(rc routeContext, stage uint32) []*route.RateLimit {
	limits := rc.route.GetRoute().GetRateLimits()
	if len(limits) == 0 {
		limits = rc.vh.GetRateLimits()
	}
	var out []*route.RateLimit
	for _, l := range limits {
		if l.GetStage().GetValue() == stage {
			out = append(out, l)
		}
	}
	return out
}

// descriptorsOf evaluates the actions: each rate limit gives one descriptor, or none when one
// of its actions does not apply (a header that does not match, a missing header or claim).
func descriptorsOf(limits []*route.RateLimit, r *Request) ([][]string, error) {
	var out [][]string
	for _, l := range limits {
		var entries []string
		ok := true
		for _, a := range l.GetActions() {
			switch s := a.ActionSpecifier.(type) {
			case *route.RateLimit_Action_GenericKey_:
				entries = append(entries, orDefault(s.GenericKey.GetDescriptorKey(), "generic_key")+"="+s.GenericKey.GetDescriptorValue())
			case *route.RateLimit_Action_HeaderValueMatch_:
				all := true
				for _, h := range s.HeaderValueMatch.GetHeaders() {
					m, err := matchHeader(h, r)
					if err != nil {
						return nil, err
					}
					all = all && m
				}
				expect := s.HeaderValueMatch.GetExpectMatch() == nil || s.HeaderValueMatch.GetExpectMatch().GetValue()
				if all != expect {
					ok = false
					break
				}
				entries = append(entries, orDefault(s.HeaderValueMatch.GetDescriptorKey(), "header_match")+"="+s.HeaderValueMatch.GetDescriptorValue())
			case *route.RateLimit_Action_RequestHeaders_:
				v, present := r.Header(s.RequestHeaders.GetHeaderName())
				switch {
				case present:
					entries = append(entries, s.RequestHeaders.GetDescriptorKey()+"="+v)
				case !s.RequestHeaders.GetSkipIfAbsent():
					ok = false
				}
			case *route.RateLimit_Action_Metadata:
				if s.Metadata.GetSource() != route.RateLimit_Action_MetaData_DYNAMIC {
					return nil, fmt.Errorf("rate limit metadata from route entries is not simulated")
				}
				v, present := dynamicMetadata(r, s.Metadata.GetMetadataKey().GetKey(), s.Metadata.GetMetadataKey().GetPath())
				switch {
				case present:
					entries = append(entries, s.Metadata.GetDescriptorKey()+"="+v)
				case s.Metadata.GetDefaultValue() != "":
					entries = append(entries, s.Metadata.GetDescriptorKey()+"="+s.Metadata.GetDefaultValue())
				case !s.Metadata.GetSkipIfAbsent():
					ok = false
				}
			default:
				return nil, fmt.Errorf("rate limit action %T is not simulated", s)
			}
			if !ok {
				break
			}
		}
		if ok && len(entries) > 0 {
			out = append(out, entries)
		}
	}
	return out, nil
}

// dynamicMetadata reads a string at key/path of a filter's dynamic metadata (e.g. a JWT claim).
func dynamicMetadata(r *Request, filter string, path []*metadatav3.MetadataKey_PathSegment) (string, bool) {
	m, ok := r.Metadata[filter]
	if !ok {
		return "", false
	}
	var cur any = m
	for _, seg := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur, ok = m[seg.GetKey()]
		if !ok {
			return "", false
		}
	}
	s, ok := cur.(string)
	return s, ok
}

// localRateLimit runs local_ratelimit: the request takes a token from the bucket of every
// descriptor that matches, and from the default bucket when none does (or, unless
// always_consume_default_token_bucket is false, always); any empty bucket answers 429.
// Buckets belong to the virtual host whose config holds them.
func (tr *Tracer) localRateLimit(name string, own *anypb.Any, rc routeContext, r *Request) (int, string, error) {
	cfg := &localrl.LocalRateLimit{}
	if err := perFilterConfig(name, own, rc).UnmarshalTo(cfg); err != nil {
		return 0, "", err
	}
	if cfg.GetTokenBucket() == nil {
		return 200, "", nil // no bucket here: the filter passes everything
	}
	for _, d := range []*typev3.FractionalPercent{cfg.GetFilterEnabled().GetDefaultValue(), cfg.GetFilterEnforced().GetDefaultValue()} {
		// Unset: Envoy enables (enforces) for 0% of requests, i.e. the filter only counts.
		if d.GetNumerator() != 100 || d.GetDenominator() != typev3.FractionalPercent_HUNDRED {
			return 0, "", fmt.Errorf("local_ratelimit enabled/enforced for less than 100%% of requests is not simulated")
		}
	}
	descriptors, err := descriptorsOf(rateLimitsOf(rc, cfg.GetStage()), r)
	if err != nil {
		return 0, "", err
	}
	type bucket struct {
		label string
		b     *typev3.TokenBucket
	}
	var taken []bucket
	for _, d := range cfg.GetDescriptors() {
		var want []string
		for _, e := range d.GetEntries() {
			want = append(want, e.GetKey()+"="+e.GetValue())
		}
		if containsDescriptor(descriptors, want) && d.GetTokenBucket() != nil {
			taken = append(taken, bucket{strings.Join(valuesOf(want), ","), d.GetTokenBucket()})
		}
	}
	// The proto's default for always_consume_default_token_bucket is true.
	always := cfg.GetAlwaysConsumeDefaultTokenBucket() == nil || cfg.GetAlwaysConsumeDefaultTokenBucket().GetValue()
	if len(taken) == 0 || always {
		taken = append(taken, bucket{"default", cfg.GetTokenBucket()})
	}
	limited := ""
	var names []string
	for _, t := range taken {
		key := rc.proxy + "|" + rc.vh.GetName() + "|" + t.label
		tr.tokens[key]++
		if uint32(tr.tokens[key]) > t.b.GetMaxTokens() && limited == "" {
			limited = t.label
		}
		names = append(names, fmt.Sprintf("%s: %d tokens, +%d every %s", t.label, t.b.GetMaxTokens(), t.b.GetTokensPerFill().GetValue(), durationString(t.b.GetFillInterval())))
	}
	rc.out.LocalRateLimit = &LocalLimit{Buckets: names}
	if limited != "" {
		return 429, "local_rate_limited (" + limited + " bucket at " + rc.proxy + ")", nil
	}
	return 200, "", nil
}

// globalRateLimit reports what ratelimit asks the service and what its configuration holds.
func (tr *Tracer) globalRateLimit(own *anypb.Any, rc routeContext, r *Request) error {
	cfg := &ratelimit.RateLimit{}
	if err := own.UnmarshalTo(cfg); err != nil {
		return err
	}
	descriptors, err := descriptorsOf(rateLimitsOf(rc, cfg.GetStage()), r)
	if err != nil || len(descriptors) == 0 {
		return err
	}
	g := &GlobalLimit{Domain: cfg.GetDomain(), Descriptors: descriptors}
	for _, d := range descriptors {
		g.Limits = append(g.Limits, tr.Mesh.Fixture.serviceLimit(cfg.GetDomain(), d))
	}
	rc.out.RateLimit = g
	return nil
}

func containsDescriptor(all [][]string, want []string) bool {
	for _, d := range all {
		if strings.Join(d, "\x00") == strings.Join(want, "\x00") {
			return true
		}
	}
	return false
}

func valuesOf(entries []string) []string {
	var out []string
	for _, e := range entries {
		_, v, _ := strings.Cut(e, "=")
		out = append(out, v)
	}
	return out
}

// serviceLimit looks a descriptor up in the rate limit service's configuration (the example's
// ConfigMaps holding `domain:` files), the way envoyproxy/ratelimit does: entry by entry down
// the tree, a node without a value matching any value; the deepest node's rate_limit applies.
func (fx *Fixture) serviceLimit(domain string, descriptor []string) string {
	for _, o := range fx.KubeObjs {
		cm, ok := o.(*corev1.ConfigMap)
		if !ok {
			continue
		}
		keys := make([]string, 0, len(cm.Data))
		for k := range cm.Data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var file struct {
				Domain      string        `json:"domain"`
				Descriptors []serviceNode `json:"descriptors"`
			}
			if yaml.Unmarshal([]byte(cm.Data[k]), &file) != nil || file.Domain != domain {
				continue
			}
			nodes, limit := file.Descriptors, "none"
			for _, e := range descriptor {
				key, value, _ := strings.Cut(e, "=")
				var next *serviceNode
				for i := range nodes {
					if nodes[i].Key == key && nodes[i].Value == value {
						next = &nodes[i]
						break
					}
				}
				if next == nil {
					for i := range nodes {
						if nodes[i].Key == key && nodes[i].Value == "" {
							next = &nodes[i]
							break
						}
					}
				}
				if next == nil {
					return "none"
				}
				limit = "none"
				if next.RateLimit != nil {
					limit = fmt.Sprintf("%d/%s", next.RateLimit.RequestsPerUnit, next.RateLimit.Unit)
				}
				nodes = next.Descriptors
			}
			return limit
		}
	}
	return "no configuration for domain " + domain
}

type serviceNode struct {
	Key       string `json:"key"`
	Value     string `json:"value"`
	RateLimit *struct {
		Unit            string `json:"unit"`
		RequestsPerUnit int    `json:"requests_per_unit"`
	} `json:"rate_limit"`
	Descriptors []serviceNode `json:"descriptors"`
}
