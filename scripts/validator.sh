#!/usr/bin/env bash
# Builds the validator (go/cmd/istio-validator: Istio's own validation, run at synth)
# for this machine, once per source change, into a cache outside the repo, and links
# it where the library finds it in a checkout: .validator/<platform>-<arch>/.
# Prints the binary's path. Needs Go; users of the npm package get the binary from
# the optional platform package instead.
#   --platform GOOS/GOARCH   cross-build for another platform (release packaging);
#                            prints the path, links nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/istio-pin.sh

goos="$(go env GOHOSTOS 2>/dev/null || true)"; goarch="$(go env GOHOSTARCH 2>/dev/null || true)"
cross=""
if [ "${1:-}" = "--platform" ]; then goos="${2%/*}"; goarch="${2#*/}"; cross=1; fi
if ! command -v go >/dev/null 2>&1; then
  echo "validator.sh: Go is needed to build the validator (apt-get install golang, or https://go.dev/dl/)." >&2
  exit 1
fi
# The cache key covers everything that goes into the binary: our Go sources and the module graph.
key="$(cat go/go.mod go/go.sum $(find go/cmd -name '*.go' | sort) | sha256sum | cut -c1-12)"
exe=istio-validator; [ "$goos" = windows ] && exe=istio-validator.exe
out="$CDK8S_ISTIO_CACHE/validator-$ISTIO_PIN_SHORT-$key/$goos-$goarch/$exe"
if [ ! -x "$out" ]; then
  echo "validator.sh: building the validator for $goos/$goarch into $(dirname "$out") (first run after a change: minutes)..." >&2
  mkdir -p "$(dirname "$out")"
  (cd go && CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" go build -mod=readonly -trimpath -ldflags='-s -w' -o "$out.tmp" ./cmd/istio-validator)
  mv "$out.tmp" "$out"
  # Builds of earlier sources are dead weight (tens of MB each).
  for old in "$CDK8S_ISTIO_CACHE"/validator-*; do [ "$old" = "$(dirname "$(dirname "$out")")" ] || rm -rf "$old"; done
fi
if [ -z "$cross" ]; then
  # Node's names for the platform, which the library looks up.
  platform="$(node -p 'process.platform + "-" + process.arch')"
  mkdir -p ".validator/$platform"
  ln -sf "$out" ".validator/$platform/$exe"
fi
echo "$out"
