package semantics

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"

	securityclient "istio.io/client-go/pkg/apis/security/v1"

	"istio.io/istio/pilot/pkg/features"
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/serviceregistry/provider"
	"istio.io/istio/pkg/config/schema/gvk"
	kubelib "istio.io/istio/pkg/kube"
	"istio.io/istio/pkg/test"
)

// TestAmbient proves, for every example with a namespace enrolled in ambient mode, what its intents
// rely on there, with istiod's own ambient index and policy attachment (the harness does not simulate
// ztunnel's or a waypoint's data path):
//   - each Service of an ambient namespace is bound to the waypoint its labels name, with the ingress
//     setting they ask for, and without a binding error (a Gateway that is no waypoint, one for the wrong
//     traffic, one in another namespace that does not admit it);
//   - each AuthorizationPolicy and RequestAuthentication attached to a Service is one the waypoint istiod
//     binds that Service to applies for it (else it would apply nowhere);
//   - each AuthorizationPolicy of an ambient namespace without targetRefs reaches ztunnel with every rule
//     (istiod drops the rules ztunnel cannot enforce).
func TestAmbient(t *testing.T) {
	test.SetForTest(t, &features.EnableAmbient, true)
	files, err := filepath.Glob(filepath.Join(*examplesDir, "*.expectations.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	proved := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".expectations.json")
		if *only != "" && name != *only {
			continue
		}
		fx, err := LoadFixture(filepath.Join(filepath.Dir(f), name), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(ambientNamespaces(fx)) == 0 {
			continue
		}
		proved++
		t.Run(name, func(t *testing.T) {
			n, failures := ProveAmbient(t, fx)
			assertionsRun.Add(int64(n))
			assertionsFailed.Add(int64(len(failures)))
			for _, failure := range failures {
				t.Error(failure)
			}
		})
	}
	if *only == "" && proved == 0 {
		t.Fatal("no example has an ambient namespace: nothing proved")
	}
}

func ambientNamespaces(fx *Fixture) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, o := range fx.KubeObjs {
		if ns, ok := o.(*corev1.Namespace); ok && ns.Labels["istio.io/dataplane-mode"] == "ambient" {
			out[ns.Name] = ns.Labels
		}
	}
	return out
}

// ProveAmbient loads the fixture with ambient on and returns how many facts it checked and those
// istiod does not make true.
func ProveAmbient(t test.Failer, fx *Fixture) (int, []string) {
	ambient := ambientNamespaces(fx)
	// Istio's deployment controller gives a waypoint its address; istiod treats a Gateway as a
	// waypoint only once its status has one.
	for i, o := range fx.KubeObjs {
		if gw, ok := o.(*gatewayv1.Gateway); ok && gw.Spec.GatewayClassName == "istio-waypoint" {
			ip := gatewayv1.IPAddressType
			gw.Status.Addresses = []gatewayv1.GatewayStatusAddress{{Type: &ip, Value: fmt.Sprintf("10.96.2.%d", 10+i)}}
		}
	}
	// istiod's ambient index reads security policies from the API server (sidecars get them from the
	// config store the fake loads): the API server holds them too.
	for _, d := range strings.Split(fx.IstioYAML, "\n---\n") {
		if o, _, err := kubelib.IstioCodec.UniversalDeserializer().Decode([]byte(d), nil, nil); err == nil {
			switch o.(type) {
			case *securityclient.AuthorizationPolicy, *securityclient.PeerAuthentication:
				fx.KubeObjs = append(fx.KubeObjs, o)
			}
		}
	}
	m := NewMesh(t, fx)
	idx := m.Server.Env().AmbientIndexes
	var failures []string
	checked := 0
	check := func(ok bool, format string, args ...any) {
		checked++
		if !ok {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}

	// Bindings, as the labels ask (the Service's own use-waypoint label wins, "none" opts out).
	bound := map[string]string{} // "ns/service" → "waypointNs/name"
	names := make([]string, 0, len(fx.Services))
	for k := range fx.Services {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		svc := fx.Services[k]
		nsLabels, isAmbient := ambient[svc.Namespace]
		if !isAmbient {
			continue
		}
		want := waypointFromLabels(svc.Labels, svc.Namespace)
		if _, own := svc.Labels["istio.io/use-waypoint"]; !own {
			want = waypointFromLabels(nsLabels, svc.Namespace)
		}
		key := svc.Namespace + "/" + svc.Name + "." + svc.Namespace + ".svc.cluster.local"
		info := eventually(func() *model.ServiceInfo {
			if i := idx.ServiceInfo(key); i != nil && (want == "" || i.Waypoint.ResourceName != "" || i.Waypoint.Error != nil) {
				return i
			}
			return nil
		})
		if info == nil {
			check(false, "Service %s/%s: not in istiod's ambient index", svc.Namespace, svc.Name)
			continue
		}
		got := info.Waypoint.ResourceName
		if info.Waypoint.Error != nil {
			got = fmt.Sprintf("error %s: %s", info.Waypoint.Error.Reason, info.Waypoint.Error.Message)
		}
		check(got == want, "Service %s/%s: istiod binds it to waypoint %q, its labels ask for %q", svc.Namespace, svc.Name, got, want)
		if want != "" {
			wantIngress := svc.Labels["istio.io/ingress-use-waypoint"] == "true" || nsLabels["istio.io/ingress-use-waypoint"] == "true"
			check(info.Waypoint.IngressUseWaypoint == wantIngress, "Service %s/%s: istiod sends ingress traffic through its waypoint: %v, its labels ask for %v",
				svc.Namespace, svc.Name, info.Waypoint.IngressUseWaypoint, wantIngress)
			bound[svc.Namespace+"/"+svc.Name] = info.Waypoint.ResourceName
		}
	}

	// Service-attached policies: applied by the waypoint istiod bound the Service to.
	pc := m.Server.PushContext()
	for _, kind := range []string{"AuthorizationPolicy", "RequestAuthentication"} {
		for _, c := range fx.Configs {
			if c.GroupVersionKind.Kind != kind {
				continue
			}
			for _, ref := range model.GetTargetRefs(c.Spec.(model.TargetablePolicy)) {
				if ref.GetKind() != gvk.Service.Kind || ref.GetGroup() != "" {
					continue
				}
				what := fmt.Sprintf("%s %s/%s (attached to Service %s)", kind, c.Namespace, c.Name, ref.GetName())
				waypoint := bound[c.Namespace+"/"+ref.GetName()]
				if waypoint == "" {
					check(false, "%s: istiod binds the Service to no waypoint, so the policy applies nowhere", what)
					continue
				}
				wpNs, wpName, _ := strings.Cut(waypoint, "/")
				matcher := model.WorkloadPolicyMatcher{
					WorkloadNamespace: wpNs,
					WorkloadLabels:    map[string]string{"gateway.networking.k8s.io/gateway-name": wpName},
					IsWaypoint:        true,
					Services:          []model.ServiceInfoForPolicyMatcher{{Name: ref.GetName(), Namespace: c.Namespace, Registry: provider.Kubernetes}},
					RootNamespace:     pc.Mesh.GetRootNamespace(),
				}
				check(attached(pc, kind, matcher, c.Namespace, c.Name), "%s: waypoint %s does not apply it for the Service", what, waypoint)
			}
		}
	}

	// Policies for ztunnel: converted whole (istiod reports what ztunnel cannot enforce, and drops or widens it).
	var forZtunnel []string
	for _, c := range fx.Configs {
		if c.GroupVersionKind.Kind == "AuthorizationPolicy" && ambient[c.Namespace] != nil && len(model.GetTargetRefs(c.Spec.(model.TargetablePolicy))) == 0 {
			forZtunnel = append(forZtunnel, c.Namespace+"/"+c.Name)
		}
	}
	converted := map[string]*model.StatusMessage{}
	eventually(func() *bool {
		for _, p := range idx.Policies(nil) {
			converted[p.Authorization.GetNamespace()+"/"+p.Authorization.GetName()] = p.Binding.Status
		}
		for _, k := range forZtunnel {
			if _, ok := converted[k]; !ok {
				return nil // not converted yet (one istiod refuses never comes: the wait ends)
			}
		}
		done := true
		return &done
	})
	for _, k := range forZtunnel {
		status, ok := converted[k]
		check(ok, "AuthorizationPolicy %s: istiod sends ztunnel no policy for it", k)
		check(status == nil, "AuthorizationPolicy %s: istiod converts it for ztunnel with %s", k, statusText(status))
	}
	return checked, failures
}

func waypointFromLabels(labels map[string]string, namespace string) string {
	name := labels["istio.io/use-waypoint"]
	if name == "" || name == "none" {
		return ""
	}
	if ns := labels["istio.io/use-waypoint-namespace"]; ns != "" {
		namespace = ns
	}
	return namespace + "/" + name
}

// attached reports whether istiod attaches the policy namespace/name to the proxy the matcher describes.
func attached(pc *model.PushContext, kind string, matcher model.WorkloadPolicyMatcher, namespace, name string) bool {
	if kind == "RequestAuthentication" {
		for _, c := range pc.AuthnPolicies.GetJwtPoliciesForWorkload(matcher) {
			if c.Namespace == namespace && c.Name == name {
				return true
			}
		}
		return false
	}
	r := pc.AuthzPolicies.ListAuthorizationPolicies(matcher)
	for _, list := range [][]model.AuthorizationPolicy{r.Allow, r.Deny, r.Audit, r.Custom} {
		for _, p := range list {
			if p.Namespace == namespace && p.Name == name {
				return true
			}
		}
	}
	return false
}

func statusText(s *model.StatusMessage) string {
	if s == nil {
		return "no remark"
	}
	return s.Reason + ": " + s.Message
}

// eventually polls f until it returns non-nil or the ambient index has had time to settle.
func eventually[T any](f func() *T) *T {
	deadline := time.Now().Add(5 * time.Second)
	for {
		if v := f(); v != nil || time.Now().After(deadline) {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
}
