package semantics

import (
	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pilot/pkg/simulation"
	"istio.io/istio/pilot/test/xds"
	"istio.io/istio/pkg/test"
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
	return &Mesh{Server: s, Fixture: fx, sims: map[string]*simulation.Simulation{}}
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
