#!/usr/bin/env bash
# Smoke test of the clinic console in the published Native AOT binary: starts the service (not --once) with the
# console on a free loopback port and a token, drops a phantom and a junk file, and checks with curl that the pages,
# the static script, the API, /metrics and the token check work when compiled ahead of time (reflection-free JSON,
# embedded assets, Kestrel). Stops the service with SIGTERM and expects exit code 0.
#   deploy/smoke-console-aot.sh [publish-folder]     (default artifacts/publish/linux-x64-cpu; publish it first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-artifacts/publish/linux-x64-cpu}/mlrfnet-edge"
[ -x "$bin" ] || { echo "no $bin: run dotnet publish src/MLRFNet.Edge -c Release -r linux-x64 -p:PublishProfile=linux-x64-cpu" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed (apt-get install curl)" >&2; exit 1; }
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/intake" "$work/model"
# The shipped FP32 model: its manifest is signed by the demonstration key, which the service must trust to start.
cp models/chestxray14-demo.onnx models/chestxray14-demo.manifest.json "$work/model/"
# A gray PNG phantom big enough for the suitability rules (>= 256 px a side).
python3 deploy/phantom-png.py "$work/phantom-chest.png" 320 300
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
token="smoke-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
base="http://127.0.0.1:$port"
"$bin" --Edge:IntakeFolder="$work/intake" --Edge:WorkFolder="$work/work" --Edge:ReportsFolder="$work/reports" \
  --Edge:ArchiveFolder="$work/archive" --Edge:QuarantineFolder="$work/quarantine" --Edge:HealthFile="$work/health.json" \
  --Edge:StableAge=00:00:00.2 --Edge:HealthInterval=00:00:00.5 --Edge:MinFreeDiskMegabytes=0 \
  --Inference:ModelPath="$work/model/chestxray14-demo.onnx" --Inference:TrustedKeysFolder="$PWD/models/keys/trusted" \
  --Edge:MaxHeatmaps=0 --Console:Urls="$base" --Console:AccessToken="$token" > "$work/log.txt" 2>&1 &
pid=$!
fail() { echo "CONSOLE SMOKE FAILED: $*" >&2; cat "$work/log.txt" >&2; exit 1; }
get() { curl -sS -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $token" "$base$1"; }
for _ in $(seq 1 300); do
  [ "$(get /api/health 2>/dev/null || true)" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || fail "the service exited"
  sleep 0.1
done
[ "$(get /api/health)" = 200 ] || fail "/api/health never answered"
cp "$work/phantom-chest.png" "$work/intake/"
echo "not an image" > "$work/intake/junk.png"
for _ in $(seq 1 300); do
  get "/api/studies" >/dev/null; grep -q '"total":2' "$work/body" && grep -q '"outcome":"quarantined"' "$work/body" && grep -q '"outcome":"scored"' "$work/body" && break
  sleep 0.1
done
grep -q '"total":2' "$work/body" || fail "/api/studies did not list the two files: $(cat "$work/body")"
id=$(python3 -c 'import json,sys; print([s["id"] for s in json.load(open(sys.argv[1]))["studies"] if "id" in s][0])' "$work/body")
[ "$(get "/api/studies/$id")" = 200 ] && cmp -s "$work/body" "$work/reports/$id.json" || fail "/api/studies/$id is not the JSON report"
[ "$(get /)" = 200 ] && grep -q 'phantom-chest.png' "$work/body" || fail "worklist page"
[ "$(get "/studies/$id")" = 200 ] && grep -q 'Mark reviewed' "$work/body" || fail "study page"
[ "$(get "/studies/$id/thumbnail")" = 200 ] && head -c 8 "$work/body" | od -An -tx1 | grep -q '89 50 4e 47' || fail "thumbnail is not a PNG"
[ "$(get /assets/console.js)" = 200 ] && grep -q 'XMLHttpRequest' "$work/body" || fail "console.js (embedded asset)"
[ "$(get /metrics)" = 200 ] && grep -q '^mlrfnet_studies_total{outcome="scored"} 1$' "$work/body" || fail "/metrics: $(head -20 "$work/body")"
[ "$(curl -sS -o /dev/null -w '%{http_code}' "$base/api/studies")" = 401 ] || fail "no token was accepted"
[ "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong' "$base/api/studies")" = 401 ] || fail "a wrong token was accepted"
grep -q "$token" "$work/log.txt" && fail "the token appears in the log"
kill -TERM "$pid"
set +e; wait "$pid"; code=$?; set -e
pid=""
[ "$code" = 0 ] || fail "exit code $code after SIGTERM, expected 0"
echo "console smoke OK: $(stat -c %s "$bin") byte binary; pages, API, metrics and token check work under Native AOT"
