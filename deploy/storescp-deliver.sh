#!/bin/sh
# Called by storescp (--exec-on-reception "storescp-deliver.sh #p #f") after it has written and closed one received
# file in the staging folder: moves it into the intake with one rename (same file system), so the service only ever
# sees complete files. Never overwrites: a name already in the intake gets a numeric suffix. Usage: dir name [intake]
set -eu
dir=$1
name=$2
intake=${3:-${MLRFNET_INTAKE:-/var/lib/mlrfnet/intake}}
src="$dir/$name"
[ -f "$src" ] || exit 0
target="$intake/$name"
n=1
# mv -n refuses to replace; loop over suffixed names until one is free.
while [ -e "$target" ]; do target="$intake/${name%.dcm}-$n.dcm"; n=$((n + 1)); done
mv -n "$src" "$target"
