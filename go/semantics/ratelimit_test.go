package semantics

import (
	"reflect"
	"testing"

	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
	metadatav3 "github.com/envoyproxy/go-control-plane/envoy/type/metadata/v3"
)

// Envoy's rate limit actions: a descriptor is produced only when every action applies;
// skip_if_absent drops the entry, not the descriptor.
func TestRateLimitDescriptors(t *testing.T) {
	generic := &route.RateLimit_Action{ActionSpecifier: &route.RateLimit_Action_GenericKey_{GenericKey: &route.RateLimit_Action_GenericKey{DescriptorKey: "limit", DescriptorValue: "all"}}}
	apiKey := func(skip bool) *route.RateLimit_Action {
		return &route.RateLimit_Action{ActionSpecifier: &route.RateLimit_Action_RequestHeaders_{RequestHeaders: &route.RateLimit_Action_RequestHeaders{
			HeaderName: "x-api-key", DescriptorKey: "client", SkipIfAbsent: skip}}}
	}
	search := &route.RateLimit_Action{ActionSpecifier: &route.RateLimit_Action_HeaderValueMatch_{HeaderValueMatch: &route.RateLimit_Action_HeaderValueMatch{
		DescriptorKey: "limit", DescriptorValue: "search",
		Headers: []*route.HeaderMatcher{{Name: ":path", HeaderMatchSpecifier: &route.HeaderMatcher_StringMatch{StringMatch: &matcher.StringMatcher{
			MatchPattern: &matcher.StringMatcher_Prefix{Prefix: "/search"}}}}}}}}
	subject := &route.RateLimit_Action{ActionSpecifier: &route.RateLimit_Action_Metadata{Metadata: &route.RateLimit_Action_MetaData{
		DescriptorKey: "client", Source: route.RateLimit_Action_MetaData_DYNAMIC, SkipIfAbsent: true,
		MetadataKey: &metadatav3.MetadataKey{Key: jwtFilter, Path: []*metadatav3.MetadataKey_PathSegment{
			{Segment: &metadatav3.MetadataKey_PathSegment_Key{Key: "payload"}}, {Segment: &metadatav3.MetadataKey_PathSegment_Key{Key: "sub"}}}}}}}
	cases := []struct {
		name    string
		actions []*route.RateLimit_Action
		req     *Request
		want    [][]string
	}{
		{"header present", []*route.RateLimit_Action{generic, apiKey(true)}, &Request{Path: "/", Headers: map[string]string{"x-api-key": "k1"}}, [][]string{{"limit=all", "client=k1"}}},
		{"header absent, skipped", []*route.RateLimit_Action{generic, apiKey(true)}, &Request{Path: "/", Headers: map[string]string{}}, [][]string{{"limit=all"}}},
		{"header absent, not skipped: no descriptor", []*route.RateLimit_Action{generic, apiKey(false)}, &Request{Path: "/", Headers: map[string]string{}}, nil},
		{"path matches", []*route.RateLimit_Action{search}, &Request{Path: "/search?q=1", Headers: map[string]string{}}, [][]string{{"limit=search"}}},
		{"path does not match", []*route.RateLimit_Action{search}, &Request{Path: "/other", Headers: map[string]string{}}, nil},
		{"JWT subject", []*route.RateLimit_Action{generic, subject}, &Request{Path: "/", Headers: map[string]string{},
			Metadata: map[string]map[string]any{jwtFilter: {"payload": map[string]any{"sub": "alice"}}}}, [][]string{{"limit=all", "client=alice"}}},
		{"no token: shared bucket", []*route.RateLimit_Action{generic, subject}, &Request{Path: "/", Headers: map[string]string{}}, [][]string{{"limit=all"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := descriptorsOf([]*route.RateLimit{{Actions: c.actions}}, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("want %v, got %v", c.want, got)
			}
		})
	}
}
