#!/usr/bin/env bash
# Generates synthetic areas with the release build and reports, for each size, the wall time,
# peak resident memory (from GNU time) and the size on disk. The targets (issue 3): 100,000
# people over 24 months in under 60 s, 1,000,000 in under 10 minutes, under 500 MB each.
# Usage: scripts/bench-generate.sh [people ...]     (default: 100000 1000000; GZIP=0 to write plain files)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
swift build -c release --product joinedup
gzip_flag=--gzip
[ "${GZIP:-1}" = 0 ] && gzip_flag=
mkdir -p bench-output
for people in "${sizes[@]}"; do
    out="bench-output/area-$people"
    rm -rf "$out"
    /usr/bin/time -f "%e s wall, %M KB peak resident" -o "bench-output/time-$people.txt" \
        .build/release/joinedup generate --people "$people" --seed 1 --months 24 $gzip_flag --out "$out"
    echo "== $people people: $(cat "bench-output/time-$people.txt"), $(du -sh "$out" | cut -f1) on disk"
done
