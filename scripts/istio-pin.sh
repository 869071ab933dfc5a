# Sourced by the scripts that build Istio's code. The one Istio pin is go/go.mod's
# istio.io/istio requirement: istioctl, the validator and the tests all use it.
# Istio 1.30.3's own closure is not fully served by the Go module proxy this project
# can reach (github.com/agentgateway/agentgateway/api and some istio.io/api
# pseudo-versions are refused), so the pin is istio.io/istio master of 2026-08-27
# (1.31 development, one day after 1.30.3). The objects are judged against the exact
# 1.30.3 CRD schemas (crds/istio-1.30.3.yaml).
ISTIO_PIN="$(awk '$1 == "istio.io/istio" && $2 ~ /^v/ { print $2; exit }' "$(dirname "${BASH_SOURCE[0]}")/../go/go.mod")"
[ -n "$ISTIO_PIN" ] || { echo "istio-pin.sh: no istio.io/istio requirement in go/go.mod" >&2; exit 1; }
ISTIO_PIN_SHORT="${ISTIO_PIN##*-}"
CDK8S_ISTIO_CACHE="${CDK8S_ISTIO_CACHE:-$HOME/.cache/cdk8s-istio}"
