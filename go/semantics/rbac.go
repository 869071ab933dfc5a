package semantics

// Envoy's RBAC filter (envoy.config.rbac.v3): a policy matches when any of its
// permissions and any of its principals match; ALLOW denies what no policy
// matches, DENY denies what one does. Shadow rules only log.

import (
	"fmt"
	"sort"

	rbac "github.com/envoyproxy/go-control-plane/envoy/config/rbac/v3"
	matcher "github.com/envoyproxy/go-control-plane/envoy/type/matcher/v3"
)

// RbacDecision is an RBAC filter's verdict and the policies that decided it.
type RbacDecision struct {
	Allowed  bool
	Policies []string // matched policy names (sorted)
}

// EvalRbac applies one RBAC rule set to a request.
func EvalRbac(rules *rbac.RBAC, r *Request) (RbacDecision, error) {
	if rules == nil {
		return RbacDecision{Allowed: true}, nil
	}
	var matched []string
	for name, p := range rules.Policies {
		ok, err := matchPolicy(p, r)
		if err != nil {
			return RbacDecision{}, fmt.Errorf("policy %s: %w", name, err)
		}
		if ok {
			matched = append(matched, name)
		}
	}
	sort.Strings(matched)
	switch rules.Action {
	case rbac.RBAC_ALLOW:
		return RbacDecision{Allowed: len(matched) > 0, Policies: matched}, nil
	case rbac.RBAC_DENY:
		return RbacDecision{Allowed: len(matched) == 0, Policies: matched}, nil
	case rbac.RBAC_LOG:
		return RbacDecision{Allowed: true, Policies: matched}, nil
	}
	return RbacDecision{}, fmt.Errorf("unsupported RBAC action %v", rules.Action)
}

func matchPolicy(p *rbac.Policy, r *Request) (bool, error) {
	if p.Condition != nil || p.CheckedCondition != nil {
		return false, fmt.Errorf("CEL conditions are not simulated")
	}
	perm, err := anyOf(len(p.Permissions), func(i int) (bool, error) { return matchPermission(p.Permissions[i], r) })
	if err != nil || !perm {
		return false, err
	}
	return anyOf(len(p.Principals), func(i int) (bool, error) { return matchPrincipal(p.Principals[i], r) })
}

func anyOf(n int, f func(int) (bool, error)) (bool, error) {
	for i := 0; i < n; i++ {
		ok, err := f(i)
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

func allOf(n int, f func(int) (bool, error)) (bool, error) {
	for i := 0; i < n; i++ {
		ok, err := f(i)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func matchPermission(p *rbac.Permission, r *Request) (bool, error) {
	switch x := p.Rule.(type) {
	case *rbac.Permission_Any:
		return x.Any, nil
	case *rbac.Permission_AndRules:
		return allOf(len(x.AndRules.Rules), func(i int) (bool, error) { return matchPermission(x.AndRules.Rules[i], r) })
	case *rbac.Permission_OrRules:
		return anyOf(len(x.OrRules.Rules), func(i int) (bool, error) { return matchPermission(x.OrRules.Rules[i], r) })
	case *rbac.Permission_NotRule:
		ok, err := matchPermission(x.NotRule, r)
		return !ok, err
	case *rbac.Permission_Header:
		return matchHeader(x.Header, r)
	case *rbac.Permission_UrlPath:
		return matchString(x.UrlPath.GetPath(), r.PathOnly())
	case *rbac.Permission_DestinationPort:
		return int(x.DestinationPort) == r.Port, nil
	case *rbac.Permission_DestinationPortRange:
		return int32(r.Port) >= x.DestinationPortRange.Start && int32(r.Port) < x.DestinationPortRange.End, nil
	case *rbac.Permission_Metadata:
		return matchMetadata(x.Metadata, r)
	case *rbac.Permission_RequestedServerName:
		return matchString(x.RequestedServerName, r.Authority)
	}
	return false, fmt.Errorf("unsupported RBAC permission %T", p.Rule)
}

func matchPrincipal(p *rbac.Principal, r *Request) (bool, error) {
	switch x := p.Identifier.(type) {
	case *rbac.Principal_Any:
		return x.Any, nil
	case *rbac.Principal_AndIds:
		return allOf(len(x.AndIds.Ids), func(i int) (bool, error) { return matchPrincipal(x.AndIds.Ids[i], r) })
	case *rbac.Principal_OrIds:
		return anyOf(len(x.OrIds.Ids), func(i int) (bool, error) { return matchPrincipal(x.OrIds.Ids[i], r) })
	case *rbac.Principal_NotId:
		ok, err := matchPrincipal(x.NotId, r)
		return !ok, err
	case *rbac.Principal_Authenticated_:
		// Plaintext has no peer certificate: an authenticated matcher never matches it.
		if r.PeerPrincipal == "" {
			return false, nil
		}
		return matchString(x.Authenticated.GetPrincipalName(), r.PeerPrincipal)
	case *rbac.Principal_Header:
		return matchHeader(x.Header, r)
	case *rbac.Principal_UrlPath:
		return matchString(x.UrlPath.GetPath(), r.PathOnly())
	case *rbac.Principal_Metadata:
		return matchMetadata(x.Metadata, r)
	case *rbac.Principal_FilterState:
		if x.FilterState.GetKey() == "io.istio.peer_principal" {
			if r.PeerPrincipal == "" {
				return false, nil
			}
			return matchString(x.FilterState.GetStringMatch(), r.PeerPrincipal)
		}
	}
	return false, fmt.Errorf("unsupported RBAC principal %T", p.Identifier)
}

// matchMetadata follows Envoy's MetadataMatcher: a path into one filter's dynamic metadata.
func matchMetadata(m *matcher.MetadataMatcher, r *Request) (bool, error) {
	var v any = map[string]any(r.Metadata[m.Filter])
	if r.Metadata[m.Filter] == nil {
		v = nil
	}
	for _, seg := range m.Path {
		obj, ok := v.(map[string]any)
		if !ok {
			v = nil
			break
		}
		v = obj[seg.GetKey()]
	}
	ok, err := matchValue(m.Value, v)
	if m.Invert {
		return !ok, err
	}
	return ok, err
}

func matchValue(m *matcher.ValueMatcher, v any) (bool, error) {
	switch x := m.MatchPattern.(type) {
	case *matcher.ValueMatcher_PresentMatch:
		return (v != nil) == x.PresentMatch, nil
	case *matcher.ValueMatcher_StringMatch:
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		return matchString(x.StringMatch, s)
	case *matcher.ValueMatcher_BoolMatch:
		b, ok := v.(bool)
		return ok && b == x.BoolMatch, nil
	case *matcher.ValueMatcher_ListMatch:
		l, ok := v.([]any)
		if !ok {
			return false, nil
		}
		for _, e := range l {
			if ok, err := matchValue(x.ListMatch.GetOneOf(), e); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case *matcher.ValueMatcher_OrMatch:
		for _, o := range x.OrMatch.ValueMatchers {
			if ok, err := matchValue(o, v); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("unsupported metadata value matcher %T", m.MatchPattern)
}
