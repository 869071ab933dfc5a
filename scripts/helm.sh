#!/usr/bin/env bash
# Prints the path of a Helm binary, building it once from its Go module into a cache outside
# the repo (the Go module cache is shared with istioctl's build). $HELM wins when set. Used by
# the tests that render our Argo CD and Flux values with Istio's own charts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/istio-pin.sh
HELM_VERSION=v3.22.0
CACHE_DIR="$CDK8S_ISTIO_CACHE/helm-$HELM_VERSION"

if [ -n "${HELM:-}" ]; then
  [ -x "$HELM" ] || { echo "helm.sh: HELM is set to '$HELM', which is not an executable." >&2; exit 1; }
  echo "$HELM"
  exit 0
fi
HELM="$CACHE_DIR/helm"
if [ ! -x "$HELM" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "helm.sh: Go is needed to build Helm (apt-get install golang, or https://go.dev/dl/), or set HELM to a helm binary." >&2
    exit 1
  fi
  echo "helm.sh: building helm $HELM_VERSION into $CACHE_DIR (first run only, a few minutes)..." >&2
  mkdir -p "$CACHE_DIR"
  # A directory of its own per build, and an atomic rename: two builds at once both succeed.
  tmp="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
  GOBIN="$tmp" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
  mv -f "$tmp/helm" "$HELM"
  rm -rf "$tmp"
fi
echo "$HELM"
