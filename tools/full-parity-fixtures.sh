#!/usr/bin/env bash
# Generates the full-size parity fixtures that tests/MLRFNet.Training.Tests compares against PyTorch (README
# "Test references"): a seeded torchvision resnet50 and a seeded timm-layout Res2Net-50 checkpoint (~100 MB each)
# and their U2-U4 at 224x224, written by Fixtures/make_full_parity.py with Debian's python3-torch and
# python3-torchvision (tools/setup.sh --test) into Fixtures/generated/ (git-ignored, never committed).
# Everything is seeded: two runs write byte-identical files. Nothing is regenerated when all outputs exist and
# generated/.stamp still holds the SHA-256 of the scripts that write them and the torch/torchvision package versions.
# tools/test.sh runs this before `dotnet test`; run it by hand to enable those tests in a plain `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/../tests/MLRFNet.Training.Tests/Fixtures"
outputs=(generated/resnet50_seeded.pt generated/res2net50_26w_4s_seeded.pt generated/mlrfnet_head_seeded.pt generated/full_parity_io.pt)
stamp=generated/.stamp
expected=$(sha256sum make_full_parity.py reference_models.py
           dpkg-query -W -f '${Package} ${Version}\n' python3-torch python3-torchvision 2>/dev/null || true)
current=$(cat "$stamp" 2>/dev/null || true)
missing=0
for f in "${outputs[@]}"; do [ -s "$f" ] || missing=1; done
if [ $missing = 0 ] && [ "$current" = "$expected" ]; then
  echo "full-size parity fixtures: up to date ($(du -sh generated | cut -f1), stamp $PWD/$stamp)"
  exit 0
fi
rm -f "$stamp"   # written last: an interrupted run is redone next time
start=$(date +%s%N)
/usr/bin/python3 make_full_parity.py
printf '%s\n' "$expected" > "$stamp"
echo "full-size parity fixtures: generated $PWD/generated ($(du -sh generated | cut -f1)) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
