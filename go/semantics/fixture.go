// Package semantics proves what synthesized YAML does: it loads an example into
// Istio's own discovery server, takes the Envoy config istiod would push, and
// runs requests through it.
//
// This file turns cdk8s-synthesized multi-doc YAML into the inputs of
// istio.io/istio/pilot/test/xds.NewFakeDiscoveryServer: Istio configs parsed by
// Istio's own parser, and Kubernetes objects "as the API server would hold
// them" (ClusterIPs assigned, one Running+Ready Pod per Deployment, EndpointSlices,
// Namespaces).
package semantics

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	meshconfig "istio.io/api/mesh/v1alpha1"

	"istio.io/istio/pilot/pkg/config/kube/crd"
	"istio.io/istio/pkg/config"
	"istio.io/istio/pkg/config/mesh"
	kubelib "istio.io/istio/pkg/kube"
)

// Workload is a fake Running pod we created for a Deployment.
type Workload struct {
	Name, Namespace, IP, ServiceAccount string
	Labels                              map[string]string
	// Gateway: the pod runs Istio's gateway template (a router, not a sidecar).
	Gateway bool
	// Deployment names the Deployment the pod belongs to ("" for the harness's clients).
	Deployment string
	Ports      []int32 // container ports
	PortNames  map[string]int32
	// Injected: the pod runs Istio's proxy (see isInjected).
	Injected bool
}

// Principal is the workload's mTLS identity as a peer sees it (its certificate's URI SAN).
func (w Workload) Principal() string {
	return "spiffe://cluster.local/ns/" + w.Namespace + "/sa/" + w.ServiceAccount
}

// ClientName is the pod the harness adds to every namespace to call from: a sidecar
// that belongs to no Service, like a fresh workload a user deploys next to theirs.
const ClientName = "semantics-client"

// Fixture is everything the fake istiod needs.
type Fixture struct {
	IstioYAML string          // the *.istio.io documents, re-joined
	Configs   []config.Config // parsed by crd.ParseInputs (with validation)
	KubeObjs  []runtime.Object
	Workloads map[string]Workload // key: "<deployment>.<namespace>"; clients: "semantics-client.<namespace>"
	Services  map[string]*corev1.Service
	PodsByIP  map[string]Workload
	Skipped   []string // documents istiod would not see (kinds outside Kubernetes' and Istio's APIs)
	// MeshConfig is the app's control plane's mesh config (Istio's defaults under it), nil without one.
	MeshConfig *meshconfig.MeshConfig
	// MeshConfigFrom says which object it came from.
	MeshConfigFrom string
}

// ReadDocs splits every *.k8s.yaml in dir (sorted) into YAML documents.
func ReadDocs(dir string) ([][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.k8s.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var docs [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		r := k8syaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(b)))
		for {
			d, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if len(bytes.TrimSpace(d)) == 0 {
				continue
			}
			docs = append(docs, d)
		}
	}
	return docs, nil
}

// meshConfigOf reads the mesh config an object installs istiod with (LoadFixture keeps the first
// found: one istiod serves the harness's proxies, so an example with two revisions is judged by one): the istiod chart's
// values of an Argo CD Application or Flux HelmRelease, an IstioOperator's values, or the
// rendered istio ConfigMap. Istio's defaults fill in the rest, as istiod does.
func meshConfigOf(doc []byte) (*meshconfig.MeshConfig, string, error) {
	var o struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			Source struct {
				Chart string `json:"chart"`
				Helm  struct {
					ValuesObject struct {
						MeshConfig map[string]any `json:"meshConfig"`
					} `json:"valuesObject"`
				} `json:"helm"`
			} `json:"source"`
			Chart struct {
				Spec struct {
					Chart string `json:"chart"`
				} `json:"spec"`
			} `json:"chart"`
			Values struct {
				MeshConfig map[string]any `json:"meshConfig"`
			} `json:"values"`
		} `json:"spec"`
		Data map[string]string `json:"data"`
	}
	if err := yaml.Unmarshal(doc, &o); err != nil {
		return nil, "", err
	}
	var values map[string]any
	text := ""
	switch {
	case o.Kind == "Application" && o.Spec.Source.Chart == "istiod":
		values = o.Spec.Source.Helm.ValuesObject.MeshConfig
	case o.Kind == "HelmRelease" && o.Spec.Chart.Spec.Chart == "istiod", o.Kind == "IstioOperator":
		values = o.Spec.Values.MeshConfig
	case o.Kind == "ConfigMap" && (o.Metadata.Name == "istio" || strings.HasPrefix(o.Metadata.Name, "istio-")) && o.Data["mesh"] != "":
		text = o.Data["mesh"]
	default:
		return nil, "", nil
	}
	if values != nil {
		b, err := yaml.Marshal(values)
		if err != nil {
			return nil, "", err
		}
		text = string(b)
	}
	m, err := mesh.ApplyMeshConfigDefaults(text)
	if err != nil {
		return nil, "", fmt.Errorf("%s %s: mesh config: %w", o.Kind, o.Metadata.Name, err)
	}
	return m, o.Kind + " " + o.Metadata.Name, nil
}

// tlsSecret is a kubernetes.io/tls Secret with a fresh self-signed certificate.
func tlsSecret(name, namespace string) (*corev1.Secret, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), DNSNames: []string{"*"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Type:       corev1.SecretTypeTLS,
		Data: map[string][]byte{
			"tls.crt": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			"tls.key": pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		},
	}, nil
}

// LoadFixture reads an example's YAML. A non-empty jwksURL replaces every RequestAuthentication's
// jwksUri (unreachable offline) with the harness's test issuer keys. Gateways are gateway pods the
// example selects but does not deploy (Istio's own ingress gateway): the harness adds each, as
// Istio's gateway chart would (Service ports 80 and 443 on 8080 and 8443).
func LoadFixture(dir, jwksURL string, gateways []WorkloadRef) (*Fixture, error) {
	docs, err := ReadDocs(dir)
	if err != nil {
		return nil, err
	}
	for i, g := range gateways {
		extra, err := gatewayDocs(fmt.Sprintf("semantics-gateway-%d", i), g)
		if err != nil {
			return nil, err
		}
		docs = append(docs, extra...)
	}
	deployed, err := istioDeployedGateways(docs)
	if err != nil {
		return nil, err
	}
	docs = append(docs, deployed...)
	fx := &Fixture{Workloads: map[string]Workload{}, Services: map[string]*corev1.Service{},
		PodsByIP: map[string]Workload{}}
	var istioDocs []string
	decode := kubelib.IstioCodec.UniversalDeserializer().Decode
	var (
		services    []*corev1.Service
		deployments []*appsv1.Deployment
		namespaces  = map[string]bool{} // seen in metadata.namespace
		nsObjs      = map[string]bool{} // Namespace objects present
		nsLabels    = map[string]map[string]string{}
		certRefs    []string // namespace/name of the Secrets Gateway API listeners name
	)
	for _, d := range docs {
		var tm struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(d, &tm); err != nil {
			return nil, err
		}
		if fx.MeshConfig == nil {
			if m, from, err := meshConfigOf(d); err != nil {
				return nil, err
			} else if m != nil {
				fx.MeshConfig, fx.MeshConfigFrom = m, from
			}
		}
		group, _, _ := strings.Cut(tm.APIVersion, "/")
		if !strings.Contains(tm.APIVersion, "/") {
			group = ""
		}
		if strings.HasSuffix(group, ".istio.io") {
			if tm.Kind == "RequestAuthentication" && jwksURL != "" {
				if d, err = withJwksURI(d, jwksURL); err != nil {
					return nil, err
				}
			}
			istioDocs = append(istioDocs, string(d))
			if tm.Kind == "ServiceEntry" {
				// istiod's Gateway API controller reads ServiceEntries (route parents) from the API server,
				// not from the config store the fake loads them into: the API server holds them too.
				if o, _, err := decode(d, nil, nil); err == nil {
					fx.KubeObjs = append(fx.KubeObjs, o)
				} else {
					fx.Skipped = append(fx.Skipped, fmt.Sprintf("%s %s for the Gateway API controller: %v", tm.APIVersion, tm.Kind, err))
				}
			}
			continue
		}
		o, _, err := decode(d, nil, nil)
		if err != nil {
			fx.Skipped = append(fx.Skipped, fmt.Sprintf("%s %s: %v", tm.APIVersion, tm.Kind, err))
			continue
		}
		if tm.Metadata.Namespace != "" {
			namespaces[tm.Metadata.Namespace] = true
		}
		switch t := o.(type) {
		case *corev1.Service:
			services = append(services, t)
			continue // added after IP assignment
		case *appsv1.Deployment:
			deployments = append(deployments, t)
		case *corev1.Namespace:
			nsObjs[t.Name] = true
			nsLabels[t.Name] = t.Labels
			t.Namespace = "" // cdk8s emits metadata.namespace on the Namespace itself
		case *gatewayv1.Gateway:
			// The TLS Secrets a Gateway API listener names are the user's, created outside the app;
			// istiod only programs a listener whose certificate it can read, so the harness plays them.
			for _, l := range t.Spec.Listeners {
				if l.TLS == nil {
					continue
				}
				for _, ref := range l.TLS.CertificateRefs {
					ns := t.Namespace
					if ref.Namespace != nil {
						ns = string(*ref.Namespace)
					}
					certRefs = append(certRefs, ns+"/"+string(ref.Name))
				}
			}
		}
		fx.KubeObjs = append(fx.KubeObjs, o)
	}
	// One Secret per name (listeners often share a certificate), unless the app has it.
	have := map[string]bool{}
	for _, o := range fx.KubeObjs {
		if sec, ok := o.(*corev1.Secret); ok {
			have[sec.Namespace+"/"+sec.Name] = true
		}
	}
	for _, ref := range certRefs {
		if have[ref] {
			continue
		}
		have[ref] = true
		ns, name, _ := strings.Cut(ref, "/")
		secret, err := tlsSecret(name, ns)
		if err != nil {
			return nil, err
		}
		fx.KubeObjs = append(fx.KubeObjs, secret)
	}
	fx.IstioYAML = strings.Join(istioDocs, "\n---\n")
	for _, d := range istioDocs {
		var tm struct {
			Metadata struct {
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		_ = yaml.Unmarshal([]byte(d), &tm)
		if tm.Metadata.Namespace != "" {
			namespaces[tm.Metadata.Namespace] = true
		}
	}
	// Istio's own parser (validating). Unknown kinds come back in the 2nd return.
	cfgs, others, err := crd.ParseInputs(fx.IstioYAML)
	if err != nil {
		return nil, fmt.Errorf("crd.ParseInputs: %w", err)
	}
	for _, o := range others {
		fx.Skipped = append(fx.Skipped, "istio kind not recognised: "+o.Kind)
	}
	fx.Configs = cfgs

	// Namespaces the API server would have.
	namespaces["istio-system"] = true
	for ns := range namespaces {
		if !nsObjs[ns] {
			fx.KubeObjs = append(fx.KubeObjs, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		}
	}

	// The node the fake pods run on (otherwise: warn "unable to get node" per pod; locality comes from node labels).
	fx.KubeObjs = append(fx.KubeObjs, &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "node-1", Labels: map[string]string{
			"topology.kubernetes.io/region": "region1", "topology.kubernetes.io/zone": "zone1",
		}},
		Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "172.18.0.2"}}},
	})

	// Services: assign ClusterIPs.
	for i, s := range services {
		if s.Spec.ClusterIP == "" {
			ip := fmt.Sprintf("10.96.0.%d", 10+i)
			s.Spec.ClusterIP = ip
			s.Spec.ClusterIPs = []string{ip}
		}
		if s.Spec.Type == corev1.ServiceTypeLoadBalancer {
			s.Status.LoadBalancer.Ingress = []corev1.LoadBalancerIngress{{IP: fmt.Sprintf("192.0.2.%d", 10+i)}}
		}
		fx.Services[s.Name+"."+s.Namespace] = s
		fx.KubeObjs = append(fx.KubeObjs, s)
	}

	// One Running/Ready pod per Deployment.
	var pods []*corev1.Pod
	for i, d := range deployments {
		ip := fmt.Sprintf("10.244.0.%d", 10+i)
		sa := d.Spec.Template.Spec.ServiceAccountName
		if sa == "" {
			sa = "default"
		}
		p := &corev1.Pod{
			TypeMeta: metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
			ObjectMeta: metav1.ObjectMeta{
				Name:        d.Name + "-0",
				Namespace:   d.Namespace,
				Labels:      d.Spec.Template.Labels,
				Annotations: d.Spec.Template.Annotations,
			},
			Spec: *d.Spec.Template.Spec.DeepCopy(),
			Status: corev1.PodStatus{
				Phase:  corev1.PodRunning,
				PodIP:  ip,
				PodIPs: []corev1.PodIP{{IP: ip}},
				HostIP: "172.18.0.2",
				Conditions: []corev1.PodCondition{
					{Type: corev1.PodReady, Status: corev1.ConditionTrue},
				},
			},
		}
		p.Spec.NodeName = "node-1"
		p.Spec.ServiceAccountName = sa
		injected := isInjected(p.Labels, p.Annotations, nsObjs[d.Namespace], nsLabels[d.Namespace])
		gateway := p.Annotations["inject.istio.io/templates"] == "gateway"
		if injected && !gateway {
			// What the sidecar injection template adds (the gateway template does not); istiod reads it
			// for auto mTLS, so sidecars reach gateways without Istio mTLS unless a DestinationRule asks.
			p.Labels = withLabel(p.Labels, "security.istio.io/tlsMode", "istio")
		}
		pods = append(pods, p)
		fx.KubeObjs = append(fx.KubeObjs, p)
		var ports []int32
		names := map[string]int32{}
		for _, c := range p.Spec.Containers {
			for _, cp := range c.Ports {
				ports = append(ports, cp.ContainerPort)
				if cp.Name != "" {
					names[cp.Name] = cp.ContainerPort
				}
			}
		}
		w := Workload{
			Name: p.Name, Namespace: p.Namespace, IP: ip, ServiceAccount: sa, Labels: p.Labels, Deployment: d.Name,
			Gateway: gateway, Ports: ports, PortNames: names, Injected: injected,
		}
		fx.Workloads[d.Name+"."+d.Namespace] = w
		fx.PodsByIP[ip] = w
	}
	// A client pod per namespace (not selected by any Service) to send requests from.
	nsNames := make([]string, 0, len(namespaces))
	for ns := range namespaces {
		nsNames = append(nsNames, ns)
	}
	sort.Strings(nsNames)
	for i, ns := range nsNames {
		ip := fmt.Sprintf("10.244.1.%d", 10+i)
		lbl := map[string]string{"app": ClientName}
		injected := isInjected(nil, nil, nsObjs[ns], nsLabels[ns])
		if injected {
			lbl["security.istio.io/tlsMode"] = "istio"
		}
		p := &corev1.Pod{
			TypeMeta:   metav1.TypeMeta{Kind: "Pod", APIVersion: "v1"},
			ObjectMeta: metav1.ObjectMeta{Name: ClientName, Namespace: ns, Labels: lbl},
			Spec: corev1.PodSpec{NodeName: "node-1", ServiceAccountName: ClientName,
				Containers: []corev1.Container{{Name: "client", Image: "curl"}}},
			Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: ip, PodIPs: []corev1.PodIP{{IP: ip}}, HostIP: "172.18.0.2",
				Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}},
		}
		fx.KubeObjs = append(fx.KubeObjs, p)
		w := Workload{Name: ClientName, Namespace: ns, IP: ip, ServiceAccount: ClientName, Labels: lbl, Injected: injected}
		fx.Workloads[ClientName+"."+ns] = w
		fx.PodsByIP[ip] = w
	}

	// EndpointSlices (what the endpointslice controller would write) so EDS works too.
	for _, s := range services {
		if len(s.Spec.Selector) == 0 {
			continue
		}
		sel := labels.SelectorFromSet(s.Spec.Selector)
		es := &discoveryv1.EndpointSlice{
			ObjectMeta: metav1.ObjectMeta{
				Name: s.Name + "-abcde", Namespace: s.Namespace,
				Labels: map[string]string{discoveryv1.LabelServiceName: s.Name},
			},
			AddressType: discoveryv1.AddressTypeIPv4,
		}
		var matched []*corev1.Pod
		for _, p := range pods {
			if p.Namespace == s.Namespace && sel.Matches(labels.Set(p.Labels)) {
				matched = append(matched, p)
				ready := true
				es.Endpoints = append(es.Endpoints, discoveryv1.Endpoint{
					Addresses:  []string{p.Status.PodIP},
					Conditions: discoveryv1.EndpointConditions{Ready: &ready},
					TargetRef:  &corev1.ObjectReference{Kind: "Pod", Name: p.Name, Namespace: p.Namespace},
					NodeName:   &p.Spec.NodeName,
				})
			}
		}
		if len(matched) == 0 {
			continue
		}
		for _, sp := range s.Spec.Ports {
			port := resolveTargetPort(sp, matched[0])
			name, proto := sp.Name, sp.Protocol
			if proto == "" {
				proto = corev1.ProtocolTCP
			}
			es.Ports = append(es.Ports, discoveryv1.EndpointPort{Name: &name, Port: &port, Protocol: &proto})
		}
		fx.KubeObjs = append(fx.KubeObjs, es)
	}
	return fx, nil
}

func resolveTargetPort(sp corev1.ServicePort, p *corev1.Pod) int32 {
	tp := sp.TargetPort
	switch {
	case tp.Type == intstr.Int && tp.IntVal != 0:
		return tp.IntVal
	case tp.Type == intstr.String && tp.StrVal != "":
		for _, c := range p.Spec.Containers {
			for _, cp := range c.Ports {
				if cp.Name == tp.StrVal {
					return cp.ContainerPort
				}
			}
		}
	}
	return sp.Port
}

// isInjected decides sidecar injection as Istio's webhook does for the common cases: the pod's
// sidecar.istio.io/inject wins, then the namespace's istio-injection or istio.io/rev label. A
// namespace the app does not define is assumed enrolled (its labels are managed elsewhere).
func isInjected(podLabels, podAnnotations map[string]string, nsDefined bool, nsLabels map[string]string) bool {
	for _, m := range []map[string]string{podLabels, podAnnotations} {
		switch m["sidecar.istio.io/inject"] {
		case "true":
			return true
		case "false":
			return false
		}
	}
	if !nsDefined {
		return true
	}
	if nsLabels["istio-injection"] == "disabled" {
		return false
	}
	_, rev := nsLabels["istio.io/rev"]
	return nsLabels["istio-injection"] == "enabled" || rev
}

func withLabel(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for a, b := range m {
		out[a] = b
	}
	return out
}

type corev1Service = corev1.Service

func targetPortOf(sp corev1.ServicePort, w Workload) int32 {
	tp := sp.TargetPort
	switch {
	case tp.Type == intstr.Int && tp.IntVal != 0:
		return tp.IntVal
	case tp.Type == intstr.String && w.PortNames[tp.StrVal] != 0:
		return w.PortNames[tp.StrVal]
	}
	return sp.Port
}

// withJwksURI points a RequestAuthentication's rules that name a jwksUri at url.
func withJwksURI(doc []byte, url string) ([]byte, error) {
	var o map[string]any
	if err := yaml.Unmarshal(doc, &o); err != nil {
		return nil, err
	}
	spec, _ := o["spec"].(map[string]any)
	rules, _ := spec["jwtRules"].([]any)
	for _, r := range rules {
		if rule, ok := r.(map[string]any); ok && rule["jwksUri"] != nil {
			rule["jwksUri"] = url
		}
	}
	return yaml.Marshal(o)
}

// istioDeployedGateways are the Deployment and Service istiod's deployment controller makes for
// each Gateway API Gateway of class istio that names no address (Istio's automated deployment):
// `<name>-istio` in the Gateway's namespace, pods labelled with the Gateway's name and listening on
// the listener ports themselves, a Service port per listener port.
func istioDeployedGateways(docs [][]byte) ([][]byte, error) {
	var out [][]byte
	for _, d := range docs {
		var gw gatewayv1.Gateway
		if err := yaml.Unmarshal(d, &gw); err != nil || gw.Kind != "Gateway" || !strings.HasPrefix(gw.APIVersion, "gateway.networking.k8s.io/") {
			continue
		}
		if gw.Spec.GatewayClassName != "istio" || len(gw.Spec.Addresses) > 0 {
			continue
		}
		name := gw.Name + "-istio"
		labels := map[string]any{"gateway.networking.k8s.io/gateway-name": gw.Name}
		// The Service's ports as istiod's deployment controller writes them (extractServicePorts): the
		// status port, then one per listener port, named after its first listener, appProtocol its protocol.
		containerPorts := []any{map[string]any{"containerPort": 15021}}
		servicePorts := []any{map[string]any{"name": "status-port", "port": 15021, "appProtocol": "tcp"}}
		seen := map[int32]bool{}
		for _, l := range gw.Spec.Listeners {
			port := int32(l.Port)
			if seen[port] {
				continue
			}
			seen[port] = true
			name := strings.ReplaceAll(string(l.Name), ".", "-")
			if len(name) > 63 {
				name = name[:63]
			}
			containerPorts = append(containerPorts, map[string]any{"containerPort": port})
			servicePorts = append(servicePorts, map[string]any{"name": name, "port": port, "targetPort": port, "appProtocol": strings.ToLower(string(l.Protocol))})
		}
		// Istio renders the proxy into these pods itself; to the harness that is a gateway-template injection.
		pods, err := gatewayPodDocs(name, gw.Namespace, labels, containerPorts, servicePorts)
		if err != nil {
			return nil, err
		}
		out = append(out, pods...)
	}
	return out, nil
}

// gatewayDocs is a gateway Deployment and its Service, as Istio's gateway Helm chart installs them.
func gatewayDocs(name string, g WorkloadRef) ([][]byte, error) {
	labels := map[string]any{}
	for k, v := range g.Labels {
		labels[k] = v
	}
	return gatewayPodDocs(name, g.Namespace, labels,
		[]any{map[string]any{"containerPort": 8080}, map[string]any{"containerPort": 8443}},
		[]any{map[string]any{"name": "http2", "port": 80, "targetPort": 8080}, map[string]any{"name": "https", "port": 443, "targetPort": 8443}})
}

// gatewayPodDocs is a Deployment of gateway pods (Istio's gateway template) selected by `labels`,
// and the Service in front of them.
func gatewayPodDocs(name, namespace string, labels map[string]any, containerPorts, servicePorts []any) ([][]byte, error) {
	podLabels := map[string]any{"sidecar.istio.io/inject": "true"}
	for k, v := range labels {
		podLabels[k] = v
	}
	deployment := map[string]any{
		"apiVersion": "apps/v1", "kind": "Deployment",
		"metadata": map[string]any{"name": name, "namespace": namespace},
		"spec": map[string]any{
			"selector": map[string]any{"matchLabels": labels},
			"template": map[string]any{
				"metadata": map[string]any{"labels": podLabels, "annotations": map[string]any{"inject.istio.io/templates": "gateway"}},
				"spec": map[string]any{"serviceAccountName": name, "containers": []any{map[string]any{"name": "istio-proxy", "image": "auto",
					"ports": containerPorts}}},
			},
		},
	}
	service := map[string]any{
		"apiVersion": "v1", "kind": "Service",
		"metadata": map[string]any{"name": name, "namespace": namespace, "labels": labels},
		"spec":     map[string]any{"selector": labels, "ports": servicePorts},
	}
	var out [][]byte
	for _, o := range []any{deployment, service} {
		b, err := yaml.Marshal(o)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
