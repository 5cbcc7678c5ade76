#!/usr/bin/env bash
# The "never lose an X-ray" soak test (issue #14, docs/reliability.md) on the published Native AOT binary:
# >= 2,000 small phantoms with odd files and names, >= 20 kill -9 with a restart after each, the reports disk filled
# once (a tmpfs, as root; skipped with the reason otherwise). Prints one "soak:" summary line.
#   tools/soak.sh [publish-folder]     (default artifacts/publish/linux-x64-cpu; publish it first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-artifacts/publish/linux-x64-cpu}/mlrfnet-edge"
[ -x "$bin" ] || { echo "no $bin: run dotnet publish src/MLRFNet.Edge -c Release -r linux-x64 -p:PublishProfile=linux-x64-cpu" >&2; exit 1; }
# The shipped FP32 model (the fastest on a CPU); phantoms are 256 px so the run fits CI's 5 minutes.
exec /usr/bin/python3 tools/soak/soak.py "$bin" models/chestxray14-demo.onnx "${@:2}"
