#!/usr/bin/env bash
# Runs the README's QA walk-through (section "For QA engineers": synth -> train mlrfnet-tiny for 1 epoch -> export
# -> quantize FP16 and INT8 -> qa -> evaluate -> info) exactly as the README writes it: the command lines are read
# from README.md itself (the code block after the line naming this script), so the text cannot drift from what is
# tested. `mlrfnet` is the built CLI (the README: `dotnet src/MLRFNet.Cli/bin/Release/net10.0/linux-x64/mlrfnet.dll`),
# and /tmp/qa is replaced by a temporary folder. Every line must exit 0, except `qa`, which may also exit 1 (the
# candidate failed its gate: a 1-epoch model may) or 3 (inconclusive: 48 images are below the gate's floor); then the
# outputs are checked, the verdicts signed. Called by tools/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "README QA WALK-THROUGH FAILED: $*" >&2; exit 1; }

# The block: the first ``` fence after the README line that names this script, up to the closing fence.
block="$(awk '!found && /`tools\/readme-qa\.sh`/ { found = 1; next }
              found && /^```/ { if (inside) exit; inside = 1; next }
              inside { print }' README.md)"
[ -n "$block" ] || fail "README.md has no code block after a line naming \`tools/readme-qa.sh\`"
for verb in synth train export quantize qa evaluate; do
  grep -q "^mlrfnet $verb " <<<"$block" || fail "the README block no longer runs \`mlrfnet $verb\`"
done
if grep -v '^mlrfnet ' <<<"$block" | grep -q .; then fail "a README block line is not an mlrfnet command: $(grep -v '^mlrfnet ' <<<"$block" | head -1)"; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tools/setup.sh
dotnet build src/MLRFNet.Cli -c Release -v q -nologo >/dev/null || { dotnet build src/MLRFNet.Cli -c Release -v q -nologo; fail "build"; }
dll="$PWD/src/MLRFNet.Cli/bin/Release/net10.0/linux-x64/mlrfnet.dll"
[ -f "$dll" ] || fail "$dll not found after the build (the README names this path)"
mlrfnet() { dotnet "$dll" "$@"; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log="$tmp/log"
start=$SECONDS
while IFS= read -r line; do
  command="${line//\/tmp\/qa/$tmp}"
  step=$SECONDS
  set +e
  eval "$command" > "$log" 2>&1
  code=$?
  set -e
  verb="$(awk '{print $2}' <<<"$line")"
  if [ $code = 0 ] || { [ "$verb" = qa ] && { [ $code = 1 ] || [ $code = 3 ]; }; }; then
    echo "  $((SECONDS - step)) s, exit $code: $line"
    [ "$verb" != qa ] || { grep -h -m1 '^ *gate (' "$log" || tail -n 1 "$log"; } | sed 's/^ */      /' 
  else
    cat "$log" >&2
    fail "exit $code from: $line"
  fi
done <<<"$block"

# What the commands must have written.
for f in run/best.ckpt fp32.onnx fp32.manifest.json fp16.onnx fp16.manifest.json int8.onnx int8.manifest.json fp32.csv; do
  [ -s "$tmp/$f" ] || fail "$f was not written"
done
for m in fp16 int8; do
  grep -q '"qa": *{' "$tmp/$m.manifest.json" || fail "$m.manifest.json has no QA record after \`mlrfnet qa\`"
  grep -q '"signature": *{' "$tmp/$m.manifest.json" || fail "$m.manifest.json is not signed after \`mlrfnet qa --sign-key\`"
  [ -n "$(ls -A "$tmp/qa-$m" 2>/dev/null)" ] || fail "qa-$m report folder is empty"
done
# The INT8 default follows the CPU target (issue 18): U8S8, stated in the manifest.
grep -q '"quantizationScheme": *"U8S8, target cpu"' "$tmp/int8.manifest.json" || fail "int8.manifest.json does not record \"U8S8, target cpu\""
images=$(($(wc -l < "$tmp/test/labels.csv") - 1))
[ "$(wc -l < "$tmp/fp32.csv")" -gt "$images" ] || fail "fp32.csv has fewer rows than the $images test images"
echo "README QA walk-through OK: $(wc -l <<<"$block") commands in $((SECONDS - start)) s"
