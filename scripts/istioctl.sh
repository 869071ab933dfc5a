#!/usr/bin/env bash
# Prints the path of an istioctl binary, building it once into a cache outside the
# repo when needed. $ISTIOCTL wins when set. Used by jest, conformance and the bench.
set -euo pipefail

# Istio 1.30.3's own dependency closure is not fully served by the Go module
# proxy this project can reach (github.com/agentgateway/agentgateway/api and
# some istio.io/api pseudo-versions are refused), so `go install …@1.30.3`
# cannot work here. We pin the nearest commit whose closure is served:
# istio.io/istio master of 2026-08-27 (1.31 development, one day after 1.30.3).
# The exact 1.30.3 CRD schemas are checked separately by the jest suite.
ISTIO_PSEUDO_VERSION="v0.0.0-20260827124520-eed52ebb66ad"
CACHE_DIR="${ISTIOCTL_CACHE:-$HOME/.cache/cdk8s-istio}/istioctl-${ISTIO_PSEUDO_VERSION##*-}"
ISTIOCTL="${ISTIOCTL:-$CACHE_DIR/istioctl}"

if [ ! -x "$ISTIOCTL" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "istioctl.sh: Go is needed to build istioctl (apt-get install golang, or https://go.dev/dl/), or set ISTIOCTL to an istioctl binary." >&2
    exit 1
  fi
  echo "istioctl.sh: building istioctl ($ISTIO_PSEUDO_VERSION) into $CACHE_DIR (first run only, several minutes)..." >&2
  work="$(mktemp -d)"
  mkdir -p "$CACHE_DIR"
  printf 'module istioctl-build\n\ngo 1.26\n\nrequire istio.io/istio %s\n' "$ISTIO_PSEUDO_VERSION" > "$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "istio.io/istio/istioctl/cmd/istioctl"\n' > "$work/tools.go"
  (cd "$work" && go mod tidy >/dev/null && go build -o "$CACHE_DIR/istioctl" istio.io/istio/istioctl/cmd/istioctl)
  rm -rf "$work"
fi
echo "$ISTIOCTL"
