#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs what the build needs, restores, builds, tests.
# Ends with one summary line "N passed, N failed, N skipped" summed over the test assemblies.
set -euo pipefail
cd "$(dirname "$0")/.."
# patchelf + a C compiler: the build makes TorchSharp's native wrapper load on Debian 12 / Ubuntu 22.04 (README).
need=()
command -v patchelf >/dev/null || need+=(patchelf)
command -v cc >/dev/null || need+=(gcc)
# python3-onnx: the ONNX checker (onnx.checker.check_model, full_check) validates every exported graph in the tests.
/usr/bin/python3 -c "import onnx" 2>/dev/null || need+=(python3-onnx)
# python3-cryptography: an independent check of the manifest signatures (ECDSA P-256) the CLI writes.
/usr/bin/python3 -c "import cryptography" 2>/dev/null || need+=(python3-cryptography)
# clang + zlib1g-dev: Native AOT publish of the edge service (smoke-tested below).
command -v clang >/dev/null || need+=(clang)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
# dcmtk: dcmdump, the independent DICOM parser that checks the test suite's hand-written DICOM files.
command -v dcmdump >/dev/null || need+=(dcmtk)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build MLRFNet.Edge.sln -c Release
log=$(mktemp)
status=0
dotnet test MLRFNet.Edge.sln -c Release --no-build --blame-hang-timeout 30m "$@" 2>&1 | tee "$log" || status=$?
read -r passed failed skipped < <(awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { v = $(i+1); gsub(/,/, "", v)
         if ($i == "Passed:") p += v; if ($i == "Failed:") f += v; if ($i == "Skipped:") s += v } }
     /Test Run Aborted/ { aborted++ }
     END { printf "%d %d %d\n", p, f + aborted, s }' "$log")
rm -f "$log"
if [ $status != 0 ]; then echo "tests: $passed passed, $failed failed, $skipped skipped"; exit $status; fi
# The clinic-box binary: trimmed Native AOT publish, then `--once` over a few files (deploy/smoke-aot.sh).
smoke=0
{ dotnet publish src/MLRFNet.Edge -c Release -r linux-x64 -p:PublishProfile=linux-x64-cpu && deploy/smoke-aot.sh artifacts/publish/linux-x64-cpu; } || smoke=1
# The README's quick start, as written: synth phantoms into the intake, tools/run-edge.sh --once on the shipped model.
readme=0
tools/readme-quickstart.sh || readme=1
echo "tests: $((passed + 2 - smoke - readme)) passed, $((failed + smoke + readme)) failed, $skipped skipped"
[ $smoke = 0 ] && [ $readme = 0 ]
