#!/usr/bin/env bash
# Runs the clinic-box service (MLRFNet.Edge) on the shipped default model, watching ./clinic/intake.
#   tools/run-edge.sh [--once] [--Section:Key=value ...]
# Environment: CLINIC_DIR (default ./clinic), MODEL (default: the shipped FP32 model, the fastest on a CPU; the FP16 and
# INT8 files carry inconclusive and failed QA verdicts, so the service refuses them: models/MODEL_CARD.md),
# TRUSTED_KEYS (default models/keys/trusted: the DEMONSTRATION public key that signed the shipped manifests).
# Needs the .NET SDK; first runs tools/setup.sh (the Debian packages the build needs: nothing when present, so
# the README's `mlrfnet` commands work next). Stop with Ctrl+C; files mid-flight are scored again at the next start.
set -euo pipefail
cd "$(dirname "$0")/.."
root="${CLINIC_DIR:-$PWD/clinic}"
model="${MODEL:-models/chestxray14-demo.onnx}"
keys="${TRUSTED_KEYS:-models/keys/trusted}"
[ -f "$model" ] || { echo "model $model not found; set MODEL=path/to/model.onnx (its .manifest.json beside it)" >&2; exit 1; }
tools/setup.sh
mkdir -p "$root/intake"
echo "watching $root/intake; reports in $root/reports; health in $root/health.json"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/MLRFNet.Edge -c Release -- \
  --Edge:IntakeFolder="$root/intake" --Edge:WorkFolder="$root/work" --Edge:ReportsFolder="$root/reports" \
  --Edge:ArchiveFolder="$root/archive" --Edge:QuarantineFolder="$root/quarantine" --Edge:HealthFile="$root/health.json" \
  --Inference:ModelPath="$(realpath "$model")" --Inference:TrustedKeysFolder="$(realpath "$keys")" "$@"
