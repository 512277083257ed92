#!/usr/bin/env bash
# Issue 4's import target: "indexing adds no more than 50% to the import time of part 1".
# One NDJSON file of the search benchmark's population, imported by `joinedup import` of two
# builds into fresh stores: part 1's (commit PART1, before the search index existed) at its
# defaults, and this checkout's, which indexes every resource, at its defaults and at part 1's
# batch size. Prints wall seconds, resources/s and peak memory of each, and the ratio.
# Usage: scripts/bench-import-vs-part1.sh [patients]      (default 20000, ~1 million resources)
# Environment: PART1=4c1e179 WORK=bench-import RUNS=3 (the builds take turns, RUNS times each)
set -euo pipefail
cd "$(dirname "$0")/.."
patients=${1:-20000}
part1=${PART1:-4c1e179}
work=${WORK:-bench-import}
runs=${RUNS:-3}
mkdir -p "$work"
work=$(cd "$work" && pwd)

swift build -c release --product joinedup
now_bin="$(swift build -c release --show-bin-path)/joinedup"
if [ ! -x "$work/part1/joinedup" ]; then
    rm -rf "$work/part1-src"
    git worktree add --detach "$work/part1-src" "$part1" >/dev/null
    (cd "$work/part1-src" && swift build -c release --product joinedup --scratch-path "$work/part1-build")
    mkdir -p "$work/part1"
    cp "$work/part1-build/release/joinedup" "$work/part1/joinedup"
    git worktree remove --force "$work/part1-src"
    rm -rf "$work/part1-build"
fi

file="$work/population-$patients.ndjson"
[ -s "$file" ] || "$now_bin" bench-search ndjson --patients "$patients" --output "$file"
echo "== import of $(wc -l <"$file") resources ($patients patients), $(nproc) cores, commit $(git rev-parse --short HEAD)"

# run LABEL BINARY [import options...]: one import into a fresh store; prints LABEL seconds
# resources/s peak-MB
run() {
    local label=$1 bin=$2
    shift 2
    rm -f "$work/store.sqlite"*
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" import --database "$work/store.sqlite" "$@" "$file" >/dev/null
    read -r seconds kilobytes <"$work/time.txt"
    printf '%-44s %8.1f s %8.0f resources/s %6d MB peak\n' "$label" "$seconds" \
        "$(echo "$(wc -l <"$file") / $seconds" | bc -l)" $((kilobytes / 1024))
    echo "$seconds" >>"$work/$label.seconds"
}
rm -f "$work"/*.seconds
# The two builds take turns, so that a slow spell of the machine (this VM's times for the same
# run have varied by a third) falls on both.
for _ in $(seq 1 "$runs"); do
    run part1 "$work/part1/joinedup"
    run now "$now_bin"
done
run now-part1-batch "$now_bin" --batch-size 500 --cache-mb 64
best() { sort -n "$work/$1.seconds" | head -1; }
median() { sort -n "$work/$1.seconds" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "indexed import (now, defaults) / part 1 import, best of $runs each: $(echo "$(best now) / $(best part1)" | bc -l | cut -c1-5)  (target <= 1.5)"
echo "the same, median of $runs each: $(echo "$(median now) / $(median part1)" | bc -l | cut -c1-5)"
echo "indexed import (now, part 1's batch and cache) / part 1: $(echo "$(best now-part1-batch) / $(best part1)" | bc -l | cut -c1-5)"
rm -f "$work/store.sqlite"*
