package semantics

import (
	"sort"
	"strings"
	"time"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pkg/config/schema/gvk"
	"istio.io/istio/pkg/config/schema/gvr"
	"istio.io/istio/pkg/kube/kclient/clienttest"
	"istio.io/istio/pkg/test"
	"k8s.io/apimachinery/pkg/runtime/schema"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
)

// ProxyIstioVersion is the version the simulated proxies report (it selects istiod's code paths).
const ProxyIstioVersion = "1.31.0"

// Mesh is istiod, in process, serving one synthesized example.
type Mesh struct {
	Server  *xds.FakeDiscoveryServer
	Fixture *Fixture
	sims    map[string]*simulation.Simulation
}

// NewMesh loads the fixture into Istio's FakeDiscoveryServer. istiod fetches each jwksUri
// and inlines the keys (its default); a jwksUri it cannot reach gets a key no token matches.
func NewMesh(t test.Failer, fx *Fixture) *Mesh {
	s := xds.NewFakeDiscoveryServer(t, xds.FakeOptions{
		ConfigString:      fx.IstioYAML,
		KubernetesObjects: fx.KubeObjs,
		MeshConfig:        fx.MeshConfig, // nil: Istio's defaults
	})
	declareGatewayAPICRDs(t, s, fx)
	return &Mesh{Server: s, Fixture: fx, sims: map[string]*simulation.Simulation{}}
}

// GatewayAPIBundleVersion is the Gateway API release whose CRDs the harness's API server holds:
// the library's default target.
const GatewayAPIBundleVersion = "v1.5.1"

// declareGatewayAPICRDs marks the fake API server's Gateway API CRDs that istiod only watches from
// a minimum bundle version (TLSRoute 1.5, GRPCRoute 1.1, BackendTLSPolicy 1.4) with the version, as
// a cluster's CRDs are marked: the fake's carry none, so istiod would ignore the app's objects of
// those kinds. istiod then translates them, and the push context is rebuilt with the result.
func declareGatewayAPICRDs(t test.Failer, s *xds.FakeDiscoveryServer, fx *Fixture) {
	want := map[string]bool{}
	for _, o := range fx.KubeObjs {
		switch r := o.(type) {
		case *gatewayv1.TLSRoute:
			want["TLSRoute/"+r.Name+"."+r.Namespace] = true
		case *gatewayv1.GRPCRoute:
			want["GRPCRoute/"+r.Name+"."+r.Namespace] = true
		}
	}
	if len(want) == 0 {
		return
	}
	for _, crd := range []schema.GroupVersionResource{gvr.TLSRoute, gvr.GRPCRoute, gvr.BackendTLSPolicy} {
		clienttest.MakeCRDWithAnnotations(t, s.KubeClient(), crd, map[string]string{"gateway.networking.k8s.io/bundle-version": GatewayAPIBundleVersion})
	}
	// A route istiod rejects never shows up: wait a bounded time, say which, then trace what istiod has.
	deadline := time.Now().Add(10 * time.Second)
	var missing []string
	for {
		seen := map[string]bool{}
		for _, c := range s.Env().GatewayAPIController.List(gvk.VirtualService, "") {
			for _, p := range strings.Split(c.Annotations["internal.istio.io/parents"], ",") {
				seen[p] = true
			}
		}
		missing = nil
		for p := range want {
			if !seen[p] {
				missing = append(missing, p)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Logf("istiod made no route of %s (rejected, or no parent accepts it)", strings.Join(missing, ", "))
	}
	// As istiod builds a push context (DiscoveryServer.initPushContext).
	pc := model.NewPushContext()
	pc.JwtKeyResolver = s.Discovery.JwtKeyResolver
	pc.InitContext(s.Env(), nil, nil)
	s.Env().SetPushContext(pc)
	s.Discovery.Cache.ClearAll()
}

// Proxy sets up the proxy of a workload: a sidecar, or a router for gateways.
func (m *Mesh) Proxy(w Workload) *model.Proxy {
	typ := model.SidecarProxy
	if w.Gateway {
		typ = model.Router
	}
	return m.Server.SetupProxy(&model.Proxy{
		Type:            typ,
		ID:              w.Name + "." + w.Namespace, // "<pod>.<ns>": how the kube registry finds the Pod
		IPAddresses:     []string{w.IP},
		ConfigNamespace: w.Namespace,
		Labels:          w.Labels,
		Metadata: &model.NodeMetadata{
			Namespace:      w.Namespace,
			Labels:         w.Labels,
			ServiceAccount: w.ServiceAccount,
			ClusterID:      "Kubernetes",
			IstioVersion:   ProxyIstioVersion,
		},
		IstioVersion: model.ParseIstioVersion(ProxyIstioVersion),
	})
}

// Simulation returns (and caches) the listeners, clusters and routes istiod pushes to a workload.
func (m *Mesh) Simulation(w Workload) *simulation.Simulation {
	key := w.Name + "." + w.Namespace
	if s, ok := m.sims[key]; ok {
		return s
	}
	p := m.Proxy(w)
	l := m.Server.Listeners(p)
	s := &simulation.Simulation{Listeners: l, Clusters: m.Server.Clusters(p), Routes: m.Server.RoutesFromListeners(p, l)}
	m.sims[key] = s
	return s
}
