#!/usr/bin/env bash
# Prints the path of a Helm binary, building it once from its Go module into a cache outside
# the repo (the Go module cache is shared with istioctl's build). $HELM wins when set. Used by
# the tests that render our Argo CD and Flux values with Istio's own charts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/istio-pin.sh
HELM_VERSION=v3.22.0
CACHE_DIR="$CDK8S_ISTIO_CACHE/helm-$HELM_VERSION"
HELM="${HELM:-$CACHE_DIR/helm}"

if [ ! -x "$HELM" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "helm.sh: Go is needed to build Helm (apt-get install golang, or https://go.dev/dl/), or set HELM to a helm binary." >&2
    exit 1
  fi
  echo "helm.sh: building helm $HELM_VERSION into $CACHE_DIR (first run only, several minutes)..." >&2
  mkdir -p "$CACHE_DIR"
  GOBIN="$CACHE_DIR/bin.tmp" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mv "$CACHE_DIR/bin.tmp/helm" "$CACHE_DIR/helm"
  rmdir "$CACHE_DIR/bin.tmp"
fi
echo "$HELM"
