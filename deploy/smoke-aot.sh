#!/usr/bin/env bash
# Smoke test of the published Native AOT binary: `--once` over a few phantoms with the shipped FP32 model, whose
# manifest is signed with the demonstration key (models/keys): so the AOT build's signature check runs too. Expects
# exit code 3 (all phantoms scored, the one junk file quarantined) and checks the folders; then starts it on the
# shipped INT8 model, whose signed verdict is "failed", and expects the refusal: exit 78, health.json "refused".
# Prints binary size, wall time and peak RSS.
#   deploy/smoke-aot.sh [publish-folder]     (default artifacts/publish/linux-x64-cpu; publish it first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-artifacts/publish/linux-x64-cpu}/mlrfnet-edge"
[ -x "$bin" ] || { echo "no $bin: run dotnet publish src/MLRFNet.Edge -c Release -r linux-x64 -p:PublishProfile=linux-x64-cpu" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/intake" "$work/model"
cp models/chestxray14-demo.onnx models/chestxray14-demo.manifest.json "$work/model/"
cp tests/MLRFNet.Imaging.Tests/Fixtures/synthetic_dicom/explicit_u16_bs12_window.dcm "$work/intake/phantom-dicom.dcm"
# Gray PNG phantoms (deploy/phantom-png.py: standard library only) and one junk file.
for i in 0 1 2; do python3 deploy/phantom-png.py "$work/intake/phantom$i.png" $((320 + 16 * i)) 300 $((i * 40)); done
echo "not an image" > "$work/intake/junk.png"
set +e
/usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$work/time.txt" "$bin" --once \
  --Edge:IntakeFolder="$work/intake" --Edge:WorkFolder="$work/work" --Edge:ReportsFolder="$work/reports" \
  --Edge:ArchiveFolder="$work/archive" --Edge:QuarantineFolder="$work/quarantine" --Edge:HealthFile="$work/health.json" \
  --Edge:StableAge=00:00:00.2 --Edge:MinFreeDiskMegabytes=0 --Inference:ModelPath="$work/model/chestxray14-demo.onnx" \
  --Inference:TrustedKeysFolder="$PWD/models/keys/trusted" > "$work/log.txt" 2>&1
code=$?
set -e
cat "$work/log.txt"
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
[ "$code" = 3 ] || fail "exit code $code, expected 3 (scored + one quarantined)"
[ "$(ls "$work/archive" | wc -l)" = 4 ] || fail "archive: $(ls "$work/archive")"
[ -f "$work/quarantine/junk.png.error.json" ] || fail "junk.png not quarantined with a reason"
[ "$(ls "$work/reports"/*.json | wc -l)" = 4 ] || fail "reports: $(ls "$work/reports")"
[ "$(wc -l < "$work/reports/ledger.csv")" = 5 ] || fail "ledger lines"
grep -q "Decision support only, not a diagnosis\." "$work"/reports/phantom0.*.html || fail "HTML banner missing"
# A refused model: the signed INT8 verdict is "failed".
set +e
"$bin" --once --Edge:IntakeFolder="$work/intake" --Edge:WorkFolder="$work/work" --Edge:ReportsFolder="$work/reports" \
  --Edge:ArchiveFolder="$work/archive" --Edge:QuarantineFolder="$work/quarantine" --Edge:HealthFile="$work/health.json" \
  --Edge:MinFreeDiskMegabytes=0 --Inference:ModelPath="$PWD/models/chestxray14-demo.int8.onnx" \
  --Inference:TrustedKeysFolder="$PWD/models/keys/trusted" > "$work/refused.txt" 2>&1
code=$?
set -e
[ "$code" = 78 ] || { cat "$work/refused.txt"; fail "INT8 model: exit code $code, expected 78 (refused)"; }
grep -q '"status": "refused"' "$work/health.json" || fail "health.json does not say refused: $(cat "$work/health.json")"
grep -q 'QaFailed' "$work/health.json" || fail "health.json does not name QaFailed"
echo "smoke OK: $(stat -c %s "$bin") byte binary; $(tail -1 "$work/time.txt"); INT8 refused with exit 78"
