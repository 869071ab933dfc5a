#!/usr/bin/env bash
# Proves what the examples do: synthesizes every example with the promises its intents
# make (dist/examples/<name>.expectations.json), then runs go/semantics, which loads the
# YAML into Istio's own discovery server and sends each promised request through the
# Envoy config istiod generates. Its last line: "semantics: N examples, M assertions, F failed".
# The test binary is built once per source state into a cache outside the repo (Go needed).
# Extra arguments go to the binary, e.g. -example jwt -show -test.v.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
source scripts/istio-pin.sh
CACHE_DIR="$CDK8S_ISTIO_CACHE/semantics-$ISTIO_PIN_SHORT"
hash="$(cat go/go.mod go/go.sum go/semantics/*.go | sha256sum | cut -c1-12)"
BIN="$CACHE_DIR/semantics-$hash.test"

if [ ! -x "$BIN" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "semantics.sh: Go is needed to build the semantics harness (apt-get install golang, or https://go.dev/dl/)." >&2
    exit 1
  fi
  echo "semantics.sh: building the harness ($ISTIO_PIN) into $CACHE_DIR (first run: several minutes; after an edit: seconds)..." >&2
  mkdir -p "$CACHE_DIR"
  (cd go && go test -c -mod=readonly -o "$BIN.tmp" ./semantics)
  mv "$BIN.tmp" "$BIN"
  # Older builds of the harness are dead weight (~200 MB each).
  find "$CACHE_DIR" -name 'semantics-*.test' ! -name "$(basename "$BIN")" -delete
fi

npx ts-node --project scripts/tsconfig.json scripts/synth-examples.ts > /dev/null
cd go/semantics
exec "$BIN" -examples "$root/dist/examples" "$@"
