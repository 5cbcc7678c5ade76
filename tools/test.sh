#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: installs what the build needs, restores, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# patchelf: used by the build to make TorchSharp's native wrapper load on Debian 12 / Ubuntu 22.04 (see README).
need=()
command -v patchelf >/dev/null || need+=(patchelf)
command -v cc >/dev/null || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}";
  else sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; fi
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build MLRFNet.Edge.sln -c Release
dotnet test MLRFNet.Edge.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
