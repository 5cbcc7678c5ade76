#!/usr/bin/env bash
# Smoke test of the published Native AOT binary: `--once` over a few phantoms with the tiny ONNX model that
# MLRFNet.Inference's tests build (tests/MLRFNet.Inference.Tests/Fixtures). Expects exit code 3 (all phantoms scored,
# the one junk file quarantined) and checks the folders. Prints binary size, wall time and peak RSS.
#   deploy/smoke-aot.sh [publish-folder]     (default artifacts/publish/linux-x64-cpu; publish it first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-artifacts/publish/linux-x64-cpu}/mlrfnet-edge"
[ -x "$bin" ] || { echo "no $bin: run dotnet publish src/MLRFNet.Edge -c Release -r linux-x64 -p:PublishProfile=linux-x64-cpu" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/intake" "$work/model"
cp tests/MLRFNet.Inference.Tests/Fixtures/tiny_mlrfnet.onnx tests/MLRFNet.Inference.Tests/Fixtures/tiny_mlrfnet.manifest.json "$work/model/"
cp tests/MLRFNet.Imaging.Tests/Fixtures/synthetic_dicom/explicit_u16_bs12_window.dcm "$work/intake/phantom-dicom.dcm"
# Gray PNG phantoms from the standard library only (zlib + struct), so the smoke test needs no imaging tools.
python3 - "$work/intake" <<'PY'
import math, struct, sys, zlib
def png(path, w, h, seed):
    rows = b"".join(b"\x00" + bytes(int(127 + 100 * math.sin((x + seed) / 17.0) * math.cos(y / 23.0)) for x in range(w)) for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
for i in range(3):
    png(f"{sys.argv[1]}/phantom{i}.png", 320 + 16 * i, 300, i * 40)
open(f"{sys.argv[1]}/junk.png", "w").write("not an image\n")
PY
set +e
/usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$work/time.txt" "$bin" --once \
  --Edge:IntakeFolder="$work/intake" --Edge:WorkFolder="$work/work" --Edge:ReportsFolder="$work/reports" \
  --Edge:ArchiveFolder="$work/archive" --Edge:QuarantineFolder="$work/quarantine" --Edge:HealthFile="$work/health.json" \
  --Edge:StableAge=00:00:00.2 --Edge:MinFreeDiskMegabytes=0 --Inference:ModelPath="$work/model/tiny_mlrfnet.onnx" > "$work/log.txt" 2>&1
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
echo "smoke OK: $(stat -c %s "$bin") byte binary; $(tail -1 "$work/time.txt")"
