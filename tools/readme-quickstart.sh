#!/usr/bin/env bash
# Runs the README's quick start as a newcomer would, in a temporary clinic folder: `mlrfnet synth` makes 1024 px
# chest phantoms, they are copied into the intake, and `tools/run-edge.sh --once` (the README's service command,
# on the shipped default model) scores them and stops. Checks one JSON + HTML report and one ledger line per
# phantom, every input archived, nothing quarantined, and a health file. Called by tools/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export CLINIC_DIR="$tmp/clinic"
count=3
# README: "dotnet run --project src/MLRFNet.Cli -c Release -- synth --out /tmp/phantoms --count 5 --size 1024"
dotnet run --project src/MLRFNet.Cli -c Release -- synth --out "$tmp/phantoms" --count $count --size 1024
# README: "cp /tmp/phantoms/images/*.png clinic/intake/"
mkdir -p "$CLINIC_DIR/intake"
cp "$tmp"/phantoms/images/*.png "$CLINIC_DIR/intake/"
# README: "tools/run-edge.sh" (with --once: score what is in the intake, then stop). Free-disk floor 0: CI disks vary.
set +e
tools/run-edge.sh --once --Edge:MinFreeDiskMegabytes=0 > "$tmp/edge.log" 2>&1
code=$?
set -e
fail() { cat "$tmp/edge.log" >&2; echo "README QUICK START FAILED: $*" >&2; exit 1; }
[ "$code" = 0 ] || fail "tools/run-edge.sh --once exited $code (0 = every file scored)"
[ "$(ls "$CLINIC_DIR"/reports/*.json | wc -l)" = $count ] || fail "reports: $(ls "$CLINIC_DIR/reports")"
[ "$(ls "$CLINIC_DIR"/reports/*.html | wc -l)" = $count ] || fail "HTML reports: $(ls "$CLINIC_DIR/reports")"
[ "$(wc -l < "$CLINIC_DIR/reports/ledger.csv")" = $((count + 1)) ] || fail "ledger lines"
[ "$(ls "$CLINIC_DIR/archive" | wc -l)" = $count ] || fail "archive: $(ls "$CLINIC_DIR/archive")"
[ -z "$(ls -A "$CLINIC_DIR/quarantine" 2>/dev/null)" ] || fail "quarantined: $(ls "$CLINIC_DIR/quarantine")"
[ -f "$CLINIC_DIR/health.json" ] || fail "no health.json"
grep -q '"modelName": *"chestxray14-demo"\|chestxray14-demo' "$CLINIC_DIR"/reports/*.json || fail "reports do not name the shipped model"
echo "README quick start OK: $count phantoms scored by $(grep -h -o '"precision": *"[A-Za-z0-9]*"' "$CLINIC_DIR"/reports/*.json | head -1) model"
