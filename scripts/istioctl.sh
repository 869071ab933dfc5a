#!/usr/bin/env bash
# Prints the path of an istioctl binary, building it once into a cache outside the
# repo when needed. $ISTIOCTL wins when set. Used by jest, conformance and the bench.
# It is built from go/go.mod (the project's one Istio pin, see scripts/istio-pin.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/istio-pin.sh
CACHE_DIR="$CDK8S_ISTIO_CACHE/istioctl-$ISTIO_PIN_SHORT"
ISTIOCTL="${ISTIOCTL:-$CACHE_DIR/istioctl}"

if [ ! -x "$ISTIOCTL" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "istioctl.sh: Go is needed to build istioctl (apt-get install golang, or https://go.dev/dl/), or set ISTIOCTL to an istioctl binary." >&2
    exit 1
  fi
  echo "istioctl.sh: building istioctl ($ISTIO_PIN) into $CACHE_DIR (first run only, several minutes)..." >&2
  mkdir -p "$CACHE_DIR"
  (cd go && go build -mod=readonly -o "$CACHE_DIR/istioctl.tmp" istio.io/istio/istioctl/cmd/istioctl)
  mv "$CACHE_DIR/istioctl.tmp" "$CACHE_DIR/istioctl"
fi
echo "$ISTIOCTL"
