#!/usr/bin/env bash
# Runs the whole test suite (tools/test.sh, the README's test command) while every core is kept busy by a CPU load
# generator that this script starts and always stops: Debian's stress-ng when installed, else one busy loop per core.
# A test that passes only on an idle machine (a wall-clock window, a sleep standing in for an event) fails here.
# Arguments go to tools/test.sh (and from there to dotnet test). Ends with test.sh's summary line, the load and the
# duration; exits with test.sh's status, or 1 if the load generator died before the suite finished.
set -euo pipefail
cd "$(dirname "$0")/.."
cores=$(nproc)
pids=()   # the load generator
suite=""  # the test suite's process group, while it runs
set -m    # background jobs get their own process group, so an interrupted run can stop the whole suite

stop_load() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  if [ -n "$suite" ]; then kill -TERM -- -"$suite" 2>/dev/null || true; fi
  stop_load
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if command -v stress-ng >/dev/null; then
  # --timeout: a safety net should this script be killed with SIGKILL (the trap cannot run then).
  stress-ng --cpu "$cores" --timeout 4h --quiet &
  pids+=($!)
  load="stress-ng --cpu $cores"
else
  for ((i = 0; i < cores; i++)); do
    bash -c 'while :; do :; done' &
    pids+=($!)
  done
  load="$cores busy loops (stress-ng not installed)"
fi
echo "test-under-load: $load on $cores cores (pids ${pids[*]})"

log=$(mktemp)
start=$(date +%s)
status=0
(tools/test.sh "$@" 2>&1 | tee "$log") &
suite=$!
wait "$suite" || status=$?
suite=""
seconds=$(($(date +%s) - start))

# The run only counts as "under load" if the generator was still running when the suite ended.
alive=1
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || alive=0; done
stop_load
summary=$(grep -E '^tests: ' "$log" | tail -n 1 || true)
rm -f "$log"
echo "test-under-load: ${summary:-no summary line (tools/test.sh ended early, see above)}; load: $load; ${seconds} s; exit $status"
if [ $alive = 0 ]; then
  echo "test-under-load: the load generator stopped before the suite finished; this run does not count" >&2
  [ $status != 0 ] || status=1
fi
exit $status
