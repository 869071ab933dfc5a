#!/usr/bin/env bash
# Prints the directory holding Argo CD's argocd-cmp-server and cmp-repo-client (the repo
# server's side of the plugin protocol), building both once from go/argocd (Argo CD's own
# module, see its go.mod) into a cache outside the repo, keyed by that module's sources.
# $ARGOCD_CMP_BIN wins when set. Used by test/package/package.test.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/istio-pin.sh
if [ -n "${ARGOCD_CMP_BIN:-}" ]; then
  [ -x "$ARGOCD_CMP_BIN/argocd-cmp-server" ] && [ -x "$ARGOCD_CMP_BIN/cmp-repo-client" ] \
    || { echo "argocd.sh: ARGOCD_CMP_BIN is set to '$ARGOCD_CMP_BIN', which lacks argocd-cmp-server or cmp-repo-client." >&2; exit 1; }
  echo "$ARGOCD_CMP_BIN"
  exit 0
fi
ARGOCD_VERSION="$(awk '$1 == "github.com/argoproj/argo-cd/v3" { print $2; exit }' go/argocd/go.mod)"
KEY="$(cat go/argocd/go.mod go/argocd/go.sum $(find go/argocd/cmd -name '*.go' | sort) | sha256sum | cut -c1-12)"
CACHE_DIR="$CDK8S_ISTIO_CACHE/argocd-$ARGOCD_VERSION-$KEY"
if [ ! -x "$CACHE_DIR/argocd-cmp-server" ] || [ ! -x "$CACHE_DIR/cmp-repo-client" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "argocd.sh: Go is needed to build Argo CD's plugin server (apt-get install golang, or https://go.dev/dl/), or set ARGOCD_CMP_BIN." >&2
    exit 1
  fi
  echo "argocd.sh: building argocd-cmp-server $ARGOCD_VERSION into $CACHE_DIR (first run only, several minutes)..." >&2
  mkdir -p "$CDK8S_ISTIO_CACHE"
  # A directory of its own per build, and an atomic rename: two builds at once both succeed.
  tmp="$(mktemp -d "$CDK8S_ISTIO_CACHE/argocd-build.XXXXXX")"
  (cd go/argocd && go build -mod=readonly -o "$tmp/" ./cmd/...)
  # If another run finished first, keep its build (it may be in use) and drop this one.
  mv -T "$tmp" "$CACHE_DIR" 2>/dev/null || rm -rf "$tmp"
fi
echo "$CACHE_DIR"
