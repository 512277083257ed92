#!/usr/bin/env bash
# The PostgreSQL benchmark of issue 5: the same population, the same imports and the same
# queries on SQLite and on PostgreSQL, side by side. Builds the release binary, starts a
# throwaway PostgreSQL with its durable defaults (scripts/with-postgres, fsync on), then:
#  1. writes the search benchmark's population (`joinedup bench-search ndjson`: PATIENTS people,
#     about 50 resources each) as one NDJSON file and imports it with `joinedup import` into a
#     new SQLite file and into a new PostgreSQL schema: resources per second for each;
#  2. serves each store (`joinedup serve --database ...`) and drives every query class of the
#     search benchmark with wrk, one connection, as scripts/bench-search.sh does: p50 and p99;
#  3. reads patients by id with CLIENTS connections (wrk -t2): requests per second and p99;
#  4. prints the table against the issue's targets: PostgreSQL import >= 10,000 resources/s,
#     read by id >= 15,000 requests/s, search p99 within 2x of SQLite's. Any answer other than
#     200, any short answer or timeout marks a figure INVALID.
# Usage: scripts/bench-postgres.sh [patients]     (default 1000)
# Environment: DURATION=10 WARMUP=3 (seconds per class), CLIENTS=64, READ_SECONDS=20, URLS=2000,
#   SEED=1, PORT=18095, WORK=bench-postgres, CLASSES="identifier name" (a subset),
#   SHARED_BUFFERS=2GB (the server's cache), BIN=<joinedup binary> (to try the harness only).
# The report is also written to $WORK/report-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
patients=${1:-1000}
duration=${DURATION:-10}
warmup=${WARMUP:-3}
clients=${CLIENTS:-64}
read_seconds=${READ_SECONDS:-20}
urls=${URLS:-2000}
seed=${SEED:-1}
port=${PORT:-18095}
work=${WORK:-bench-postgres}
lua=scripts/bench-search/urls.lua

if [ -z "${JOINEDUP_TEST_POSTGRES:-}" ]; then
    # Run again beside a throwaway server with durable settings and a cache for the store.
    export JOINEDUP_POSTGRES_DURABLE=1
    export JOINEDUP_POSTGRES_OPTIONS="-c shared_buffers=${SHARED_BUFFERS:-2GB} -c max_wal_size=4GB"
    exec scripts/with-postgres "$0" "$@"
fi

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
mkdir -p "$work"
report="$work/report-$(date +%Y%m%d-%H%M%S).txt"
exec > >(tee "$report") 2>&1

if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    swift build -c release --product joinedup
    bin="$(swift build -c release --show-bin-path)/joinedup"
fi

source scripts/bench-search/common.sh
bench_token "$bin" "$work/keys.json"

echo "== joinedup PostgreSQL benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
describe_machine
echo "PostgreSQL on loopback, durable defaults (fsync on), $JOINEDUP_POSTGRES_OPTIONS"
echo "$patients patients, seed $seed; queries: wrk -t1 -c1, ${warmup} s warm-up + ${duration} s per class; reads: wrk -t2 -c$clients, ${read_seconds} s"

population="$work/population-$patients.ndjson"
queries="$work/queries-$patients"
"$bin" bench-search ndjson --patients "$patients" --seed "$seed" --output "$population" >/dev/null
"$bin" bench-search queries --patients "$patients" --seed "$seed" --urls-per-class "$urls" --out "$queries" >/dev/null
# Patients by id: every one of the population, in a shuffled order (no entries: a read is not a Bundle).
write_read_urls "$patients" "$queries/read.txt"

declare -A location import_rate
location[sqlite]="$work/area-$patients.sqlite"
location[postgres]="$JOINEDUP_TEST_POSTGRES?schema=bench_$patients"
rm -f "${location[sqlite]}"*

for engine in sqlite postgres; do
    echo
    echo "== $engine: import"
    out=$("$bin" import --database "${location[$engine]}" "$population" | tee /dev/stderr)
    import_rate[$engine]=$(grep -o '[0-9]* resources/s' <<<"$out" | head -1 | cut -d' ' -f1)
    if [ "$engine" = sqlite ]; then
        echo "  on disk: $(du -cm "${location[sqlite]}"* | tail -1 | cut -f1) MB"
    else
        psql="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql"
        "$psql" "$JOINEDUP_TEST_POSTGRES" -Atc "SELECT '  on disk: ' || CAST(sum(pg_total_relation_size(c.oid)) / 1048576 AS bigint) || ' MB (tables, indexes, TOAST)'
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench_$patients' AND c.relkind = 'r'"
    fi

    echo "== $engine: queries"
    "$bin" serve --database "${location[$engine]}" --keys "$work/keys.json" --port "$port" --log-level warning &
    server=$!
    wait_for_server "$port"
    results="$work/results-$engine-$patients.tsv"
    : >"$results"
    while IFS=$'\t' read -r class target summary; do
        if [ -n "${CLASSES:-}" ] && [[ " $CLASSES " != *" $class "* ]]; then continue; fi
        wrk -t1 -c1 -d"${warmup}s" --timeout 10s -s "$lua" "http://127.0.0.1:$port" -- "$queries/$class.txt" "$class" >/dev/null
        out=$(wrk -t1 -c1 -d"${duration}s" --timeout 10s --latency -s "$lua" "http://127.0.0.1:$port" -- "$queries/$class.txt" "$class")
        line=$(grep '^RESULT ' <<<"$out")
        bad=$(( $(field non200 "$line") + $(field short "$line") + $(field timeouts "$line") ))
        printf '%s\t%s\t%s\t%s\n' "$class" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$bad" >>"$results"
        printf '  %-18s p50 %8s ms  p99 %8s ms  %6s requests  failed %s\n' "$class" "$(field p50_ms "$line")" \
            "$(field p99_ms "$line")" "$(field requests "$line")" "$bad"
        grep '^FIRST_FAILURE ' <<<"$out" | cut -c1-300 || true
    done <"$queries/classes.tsv"

    echo "== $engine: read by id, $clients connections"
    wrk -t2 -c"$clients" -d3s --timeout 10s -s "$lua" "http://127.0.0.1:$port" -- "$queries/read.txt" read >/dev/null
    out=$(wrk -t2 -c"$clients" -d"${read_seconds}s" --timeout 10s --latency -s "$lua" "http://127.0.0.1:$port" -- "$queries/read.txt" read)
    line=$(grep '^RESULT ' <<<"$out")
    bad=$(( $(field non200 "$line") + $(field short "$line") + $(field timeouts "$line") + $(field socket_errors "$line") ))
    printf 'read\t%s\t%s\t%s\t%s\n' "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$bad" "$(field rps "$line")" >>"$results"
    echo "  $(field rps "$line") requests/s, p50 $(field p50_ms "$line") ms, p99 $(field p99_ms "$line") ms, failed $bad"
    echo "  server resident memory: $(ps -o rss= -p "$server" | awk '{printf "%d MB", $1/1024}')"
    stop_server
done

echo
echo "== $patients patients: PostgreSQL against SQLite"
printf 'import\t%s\t%s\n' "${import_rate[sqlite]}" "${import_rate[postgres]}" | awk -F'\t' '{
    printf "%-18s | %12s | %12s | %s\n", "", "SQLite", "PostgreSQL", "target"
    printf "%-18s | %10s/s | %10s/s | PostgreSQL >= 10000/s: %s\n", "import, resources", $2, $3, ($3 >= 10000 ? "met" : "NOT met")
}'
join -t$'\t' <(sort "$work/results-sqlite-$patients.tsv") <(sort "$work/results-postgres-$patients.tsv") | awk -F'\t' '
    $1 == "read" {
        verdict = ($9 >= 15000 ? "met" : "NOT met"); if ($4 + $8 > 0) verdict = "INVALID (failures)"
        printf "%-18s | %10d/s | %10d/s | PostgreSQL >= 15000/s: %s (p99 %s ms and %s ms)\n", "read by id", $5, $9, verdict, $3, $7
        next
    }
    { ratio = $3 > 0 ? $6 / $3 : 0
      verdict = (ratio <= 2 ? "met" : "NOT met"); if ($4 + $7 > 0) verdict = "INVALID (failures)"
      printf "%-18s | p99 %6.2f ms | p99 %6.2f ms | within 2x: %.2fx %s (p50 %.2f and %.2f ms)\n", $1, $3, $6, ratio, verdict, $2, $5 }'
echo "report: $report"
