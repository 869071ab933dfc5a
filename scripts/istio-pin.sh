# Sourced by the scripts that build Istio's code. The one Istio pin is go/go.mod's
# istio.io/istio requirement: istioctl, the validator and the tests all use it.
# The Go module proxy this project can reach serves istio.io/istio only as pseudo-versions
# (and not Istio 1.30.3's full closure), so the pin is istio.io/istio master of 2026-08-27
# (1.31 development): it knows every Istio 1.31 field the library renders. The objects
# are judged against the exact CRD schemas of the release the app targets (crds/).
ISTIO_PIN="$(awk '$1 == "istio.io/istio" && $2 ~ /^v/ { print $2; exit }' "$(dirname "${BASH_SOURCE[0]}")/../go/go.mod")"
[ -n "$ISTIO_PIN" ] || { echo "istio-pin.sh: no istio.io/istio requirement in go/go.mod" >&2; exit 1; }
ISTIO_PIN_SHORT="${ISTIO_PIN##*-}"
CDK8S_ISTIO_CACHE="${CDK8S_ISTIO_CACHE:-$HOME/.cache/cdk8s-istio}"
