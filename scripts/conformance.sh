#!/usr/bin/env bash
# Istio in the loop: synthesize every example and let istioctl judge it.
#   istioctl validate -f                 (schemas, webhook validation, port naming)
#   istioctl analyze --all-namespaces --use-kube=false    (cross-resource analyzers; without
#     --all-namespaces analyze only looks at namespace 'default')
# Errors fail. Warnings/infos fail unless scripts/conformance-allowlist.txt
# justifies them. Pods are derived from Deployments, since analyze checks Pods.
set -euo pipefail
cd "$(dirname "$0")/.."

ISTIOCTL="$(bash scripts/istioctl.sh)"
echo "conformance: using $ISTIOCTL" >&2

# --- examples -----------------------------------------------------------------
npx ts-node --project scripts/tsconfig.json scripts/synth-examples.ts > /dev/null
allow="scripts/conformance-allowlist.txt"
# A validate advisory is allowed when it contains the text of a `validate: <text> — <reason>` line.
validate_allowed() {
  local entry
  while IFS= read -r entry; do
    entry="${entry#validate: }"; entry="${entry%% — *}"
    [ -n "$entry" ] && case "$1" in *"$entry"*) return 0 ;; esac
  done < <(grep '^validate: ' "$allow")
  return 1
}
failed=0
checked=0
for dir in dist/examples/*/; do
  name="$(basename "$dir")"
  bundle="$(mktemp --suffix=.yaml)"
  cat "$dir"*.yaml | node scripts/derive-pods.js > "$bundle"
  if ! out="$("$ISTIOCTL" validate -f "$bundle" 2>&1)"; then
    echo "FAIL $name: istioctl validate"; echo "$out" | sed 's/^/    /'; failed=1
  fi
  # validate prints advisory lines too; anything not allow-listed fails.
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    # A failed validate already failed above; on success, "* <object>: <text>" items are the webhook's warnings.
    case "$line" in *" is valid"|"Error: "*|*"error occurred"*|*" has warnings: "*) continue ;; esac
    if ! validate_allowed "$line"; then echo "FAIL $name: istioctl validate says: $line"; failed=1; fi
  done <<< "$out"
  aout="$("$ISTIOCTL" analyze --all-namespaces --use-kube=false "$bundle" 2>&1)" || true
  while IFS= read -r line; do
    case "$line" in
      Error*) echo "FAIL $name: $line"; failed=1 ;;
      Warning*|Info*)
        code="$(echo "$line" | grep -oE 'IST[0-9]{4}' | head -1)"
        if grep -qE "^$name +$code " "$allow" 2>/dev/null; then echo "  allowed $name: $line"; else echo "FAIL $name: $line (not in $allow)"; failed=1; fi ;;
    esac
  done <<< "$aout"
  rm -f "$bundle"
  checked=$((checked + 1))
  [ "$failed" = 0 ] && echo "ok   $name: istioctl validate + analyze"
done
if [ "$checked" = 0 ]; then echo "conformance: no examples were synthesized" >&2; exit 1; fi
if [ "$failed" != 0 ]; then echo "conformance: FAILED" >&2; exit 1; fi
echo "conformance: $checked examples accepted by istioctl"
