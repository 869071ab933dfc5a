#!/usr/bin/env bash
# The Python binding, end to end: builds the wheel (jsii-pacmak), installs it with cdk8s,
# cdk8s-plus-28 and constructs from PyPI into a virtualenv, runs examples/python/*.py and
# compares their YAML byte for byte with the TypeScript examples' (dist/examples/<name>/).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 CDK8S_CHECK_UPGRADE=false
CACHE="${CDK8S_ISTIO_CACHE:-$HOME/.cache/cdk8s-istio}"
VENV="$CACHE/python-venv"

npx projen package:python > /dev/null
wheel="$(ls dist/python/*.whl)"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
version() { node -p "require('$1/package.json').version"; }
"$VENV/bin/pip" install -q --disable-pip-version-check "cdk8s==$(version cdk8s)" "cdk8s-plus-28==$(version cdk8s-plus-28)" \
  "cdk8s-plus-33==$(version cdk8s-plus-33)" "constructs==$(version constructs)"
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
# The wheel's own requirements (cdk8s, constructs, jsii, ...) are met by what is installed.
"$VENV/bin/pip" check > /dev/null

# Istio's validation runs in Python too: a wheel cannot carry the npm platform package with the
# validator binary, so the Python process is pointed at the one the build made.
validator="$(node -p "require('./lib/analysis/istio-validator').findValidatorBinary() ?? ''")"
[ -n "$validator" ] || { echo "python-examples.sh: no validator binary; run the build first" >&2; exit 1; }
export CDK8S_ISTIO_VALIDATOR="$validator"

failed=0
# The docstrings show the @examples in Python (jsii-rosetta's translations), not TypeScript.
if unzip -p "$wheel" 'cdk8s_istio/__init__.py' | grep -q 'declare const'; then
  echo "FAIL the wheel's docstrings hold untranslated TypeScript examples (is .jsii.tabl.json built?)"; failed=1
else
  echo "ok   the wheel's docstrings show every @example in Python"
fi
for pair in canary_rollout:canary-rollout jwt:jwt; do
  py="${pair%%:*}"; ts="${pair##*:}"
  npx ts-node --project scripts/tsconfig.json scripts/synth-examples.ts "$ts" > /dev/null
  out="$(mktemp -d)"
  start=$(date +%s%N)
  (cd examples/python && "$VENV/bin/python" "$py.py" "$out")
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  if diff -r "$root/dist/examples/$ts" "$out" > "$out.diff"; then
    echo "ok   $py.py: YAML identical to examples/$ts (Python synth ${took} ms)"
  else
    echo "FAIL $py.py differs from examples/$ts:"; sed 's/^/    /' "$out.diff" | head -40; failed=1
  fi
done
# With cdk8s-plus-33 (what `cdk8s init` ships) the canary example gives the same Istio configuration.
plus33="$(mktemp -d)"
cp examples/python/*.py "$plus33/"
sed -i 's/cdk8s_plus_28/cdk8s_plus_33/' "$plus33"/*.py
out="$(mktemp -d)"
(cd "$plus33" && "$VENV/bin/python" canary_rollout.py "$out")
istio_docs() { node -e "
  const { parseAllDocuments, stringify } = require('yaml'); const fs = require('fs'); const path = require('path');
  const dir = process.argv[1];
  const docs = fs.readdirSync(dir).sort().flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
  process.stdout.write(docs.filter(d => d && /istio\.io/.test(d.apiVersion)).map(d => stringify(d)).join('---\n'));" "$1"; }
if [ "$(istio_docs "$out")" = "$(istio_docs "$root/dist/examples/canary-rollout")" ] && [ -n "$(istio_docs "$out")" ]; then
  echo "ok   canary_rollout.py with cdk8s-plus-33: the same Istio configuration as examples/canary-rollout"
else
  echo "FAIL canary_rollout.py with cdk8s-plus-33 gives other Istio configuration"; failed=1
fi

# Every ```python block of the README is a complete program: each must run and synthesize.
snippets="$(mktemp -d)"
"$VENV/bin/python" - "$root/README.md" "$snippets" <<'PY'
import re, sys, pathlib
blocks = re.findall(r"^```python\n(.*?)^```", pathlib.Path(sys.argv[1]).read_text(), re.M | re.S)
for i, b in enumerate(blocks, 1):
    pathlib.Path(sys.argv[2], f"snippet-{i}.py").write_text(b)
PY
count="$(ls "$snippets" | wc -l)"
if [ "$count" -lt 8 ]; then echo "FAIL README: $count Python snippets, expected one per task (8)"; failed=1; fi
for f in "$snippets"/snippet-*.py; do
  out="$(mktemp -d)"
  if (cd "$out" && "$VENV/bin/python" "$f" > "$out.log" 2>&1) && ls "$out"/dist/*.yaml > /dev/null 2>&1; then
    echo "ok   README $(basename "$f"): ran and synthesized $(ls "$out"/dist/*.yaml | wc -l) file(s)"
  else
    echo "FAIL README $(basename "$f"):"; tail -20 "$out.log" | sed 's/^/    /'; failed=1
  fi
done
exit $failed
