#!/usr/bin/env bash
# The search benchmark of issue 4. Builds the release binary, then:
#  1. import time with and without the search index, same data (IMPORT_PATIENTS people, ~50
#     resources each, loaded through the import path by `joinedup bench-search load`);
#  2. for each population size: loads it (100,000 patients is about 5 million resources), starts
#     `joinedup serve` on loopback, and drives every query class with wrk, one connection
#     (-t1 -c1: latency, not throughput), WARMUP seconds untimed then DURATION seconds timed,
#     cycling through URLs sampled from the population (scripts/bench-search/urls.lua);
#  3. prints a table: p50 and p99 per class and size, the growth from the smallest size to the
#     largest, and the issue's targets. A class with any answer other than 200, any 200 with
#     fewer entries than a correct answer holds, any timeout, or no answer at all in the timed
#     seconds is marked INVALID: its figures are not a result.
# Usage: scripts/bench-search.sh [patients...]        (default: 1000 100000)
# Environment:
#   DURATION=10 WARMUP=3      seconds per class, timed and untimed
#   IMPORT_PATIENTS=20000     people for the import comparison (0 skips it)
#   CLASSES="identifier name" a subset of the query classes (default: all)
#   URLS=2000                 URLs per query class
#   REUSE=1                   keep a store from an earlier finished load of the same population
#                             (never after the indexing code changed: the store would be stale)
#   KEEP_IMPORT=1             keep the import-comparison stores
#   SEED=1 PORT=18090 WORK=bench-search SCRATCH_PATH=<swift build --scratch-path>
#   COLD=1                    do not read each store once before serving it (by default it is,
#                             so that the figures are a warm server's, not the disk's)
#   WORK=/dev/shm/bench-search  stores in memory: for a machine whose page cache holds less than
#                             the store (100,000 patients is 12 GB), where figures measure the disk
#                             instead (copy a finished store there and pass REUSE=1)
#   BIN=<joinedup binary>     use it instead of building (to try the harness; figures need -c release)
# The report is also written to $WORK/report-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- 1000 100000; fi
duration=${DURATION:-10}
warmup=${WARMUP:-3}
import_patients=${IMPORT_PATIENTS:-20000}
urls=${URLS:-2000}
seed=${SEED:-1}
port=${PORT:-18090}
work=${WORK:-bench-search}
lua=scripts/bench-search/urls.lua
scratch=()
if [ -n "${SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$SCRATCH_PATH"); fi

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mkdir -p "$work"
report="$work/report-$(date +%Y%m%d-%H%M%S).txt"
exec > >(tee "$report") 2>&1

if [ -n "${BIN:-}" ]; then
    bin=$BIN   # a binary already built (for trying the harness; quote release figures only)
else
    swift build -c release --product joinedup "${scratch[@]}"
    bin="$(swift build -c release "${scratch[@]}" --show-bin-path)/joinedup"
fi

source scripts/bench-search/common.sh
bench_token "$bin" "$work/keys.json"

echo "== joinedup search benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
describe_machine
echo "sizes: $*; wrk -t1 -c1, ${warmup} s warm-up + ${duration} s per class; ${urls} URLs per class; seed ${seed}"


# 1. Import with and without the search index.
if [ "$import_patients" -gt 0 ]; then
    echo
    echo "== import time, ${import_patients} patients, with and without the search index"
    declare -A load_seconds write_seconds
    for variant in plain indexed; do
        flags=(--replace --no-queries)
        if [ "$variant" = plain ]; then flags+=(--no-search-index); fi
        out=$("$bin" bench-search load --patients "$import_patients" --seed "$seed" \
            --store "$work/import-$variant.sqlite" "${flags[@]}" | tee /dev/stderr)
        line=$(grep '^RESULT ' <<<"$out")
        load_seconds[$variant]=$(field seconds "$line")
        # The writer's time, and with the index the build of its value indexes after the rows.
        write_seconds[$variant]=$(awk -v w="$(field write_seconds "$line")" -v b="$(field index_build_seconds "$line")" \
            'BEGIN { print w + b }')
        if [ "$variant" = plain ] && [ "$(field search_index "$line")" != off ]; then
            echo "WARNING: this build cannot turn search indexing off (search_index=$(field search_index "$line")):"
            echo "         the comparison below compares the index with itself."
        fi
        if [ -z "${KEEP_IMPORT:-}" ]; then rm -f "$work/import-$variant.sqlite"*; fi
    done
    awk -v ps="${load_seconds[plain]}" -v is="${load_seconds[indexed]}" \
        -v pw="${write_seconds[plain]}" -v iw="${write_seconds[indexed]}" 'BEGIN {
        printf "%-30s %10s %10s %8s\n", "", "no index", "index", "added"
        printf "%-30s %9.1fs %9.1fs %7.0f%%\n", "load, wall clock", ps, is, (is / ps - 1) * 100
        printf "%-30s %9.1fs %9.1fs %7.0f%%\n", "writer busy + index build", pw, iw, (iw / pw - 1) * 100
        printf "target: indexing adds no more than 50%% -> %s\n", (is / ps <= 1.5 ? "met" : "NOT met")
    }'
fi

# 2. Each size: load, serve, query.
for n in "$@"; do
    store="$work/area-$n.sqlite"
    queries="$work/queries-$n"
    echo
    echo "== $n patients"
    if [ -n "${REUSE:-}" ]; then mode=--reuse; else mode=--replace; fi
    out=$("$bin" bench-search load --patients "$n" --seed "$seed" --store "$store" --queries "$queries" \
        --urls-per-class "$urls" "$mode" | tee /dev/stderr)
    line=$(grep '^RESULT ' <<<"$out")
    echo "$(field resources "$line")" >"$work/resources-$n"

    # A server's steady state, not its first minutes after a reboot: the store is read once,
    # so that it sits in the page cache (12 GB at 100,000 patients; a machine with less memory
    # measures its disk instead). COLD=1 skips this.
    if [ -z "${COLD:-}" ]; then
        started=$(date +%s)
        cat "$store" >/dev/null
        echo "store read into the page cache in $(( $(date +%s) - started )) s ($(du -m "$store" | cut -f1) MB)"
    fi

    "$bin" serve --database "$store" --keys "$work/keys.json" --port "$port" --log-level warning &
    server=$!
    wait_for_server "$port"
    echo "server idle resident memory: $(ps -o rss= -p "$server" | awk '{printf "%d MB", $1/1024}')"

    results="$work/results-$n.tsv"
    : >"$results"
    while IFS=$'\t' read -r class target summary; do
        if [ -n "${CLASSES:-}" ] && [[ " $CLASSES " != *" $class "* ]]; then continue; fi
        file="$queries/$class.txt"
        wrk -t1 -c1 -d"${warmup}s" --timeout 10s -s "$lua" "http://127.0.0.1:$port" -- "$file" "$class" >/dev/null
        out=$(wrk -t1 -c1 -d"${duration}s" --timeout 10s --latency -s "$lua" "http://127.0.0.1:$port" -- "$file" "$class")
        line=$(grep '^RESULT ' <<<"$out")
        failure=$(grep '^FIRST_FAILURE ' <<<"$out" | cut -c15-300 || true)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$class" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
            "$(field requests "$line")" "$(field non200 "$line")" "$(field short "$line")" "$(field timeouts "$line")" \
            "$target" "$failure" >>"$results"
        printf '  %-18s p50 %8s ms  p99 %8s ms  %6s requests  non-200 %s  short %s  timeouts %s\n' "$class" \
            "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field requests "$line")" "$(field non200 "$line")" \
            "$(field short "$line")" "$(field timeouts "$line")"
        if [ -n "$failure" ]; then echo "    first failure: $failure"; fi
    done <"$queries/classes.tsv"
    echo "server resident memory after the queries: $(ps -o rss= -p "$server" | awk '{printf "%d MB", $1/1024}')"
    stop_server
done

# 3. The table.
echo
echo "== search latency (ms), wrk -t1 -c1; growth = largest size / smallest size"
first=$1
last=${!#}
files=()
header="class"
for n in "$@"; do
    files+=("$work/results-$n.tsv")
    header="$header|$n patients ($(cat "$work/resources-$n") resources)"
done
awk -F'\t' -v header="$header" -v sizes="$#" '
    FNR == 1 { size++ }
    {
        class = $1; if (!(class in seen)) { seen[class] = 1; order[++classes] = class }
        p50[class, size] = $2; p99[class, size] = $3; target[class] = $8
        bad[class, size] = $5 + $6 + $7
        # No answer at all within the run (every request slower than it) is no result either.
        if ($4 + 0 == 0) bad[class, size] = 1
    }
    END {
        split(header, names, "|")
        printf "%-18s", "class"
        for (s = 1; s <= sizes; s++) printf " | %-28s", substr(names[s + 1], 1, 28)
        printf " | %-13s | %-13s | %s\n", "growth p50/p99", "target", "at largest"
        printf "%-18s", ""
        for (s = 1; s <= sizes; s++) printf " | %9s %9s %8s", "p50", "p99", ""
        printf " |\n"
        for (i = 1; i <= classes; i++) {
            c = order[i]; invalid = 0
            printf "%-18s", c
            for (s = 1; s <= sizes; s++) {
                mark = bad[c, s] > 0 ? "INVALID" : ""
                if (bad[c, s] > 0) invalid = 1
                printf " | %9.2f %9.2f %8s", p50[c, s], p99[c, s], mark
            }
            g50 = p50[c, 1] > 0 ? p50[c, sizes] / p50[c, 1] : 0
            g99 = p99[c, 1] > 0 ? p99[c, sizes] / p99[c, 1] : 0
            verdict = "met"
            n = split(target[c], parts, " ")
            for (k = 1; k <= n; k++) {
                if (parts[k] ~ /^p50</) { if (p50[c, sizes] >= substr(parts[k], 5) + 0) verdict = "NOT met" }
                else if (parts[k] ~ /^p99</) { if (p99[c, sizes] >= substr(parts[k], 5) + 0) verdict = "NOT met" }
            }
            if (target[c] == "-") verdict = "(no target)"
            if (sizes > 1 && (g50 > 2 || g99 > 2)) verdict = verdict ", growth > 2x"
            if (invalid) verdict = "INVALID (errors, short answers or no answer)"
            printf " | %5.2fx %5.2fx | %-13s | %s\n", g50, g99, target[c], verdict
        }
    }' "${files[@]}"
echo "(growth compares $first with $last patients; report: $report)"
