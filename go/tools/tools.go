//go:build tools

// Package tools pins the Istio commands our scripts build (istioctl) to this
// module's Istio version and dependency closure.
package tools

import _ "istio.io/istio/istioctl/cmd/istioctl"
