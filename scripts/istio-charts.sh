#!/usr/bin/env bash
# Prints the directory of Istio's Helm charts (base, istio-control/istio-discovery, istio-cni,
# ztunnel, gateway) from the pinned istio.io/istio module (go/go.mod), downloading it once.
set -euo pipefail
cd "$(dirname "$0")/../go"
go mod download istio.io/istio
echo "$(go list -m -f '{{.Dir}}' istio.io/istio)/manifests/charts"
