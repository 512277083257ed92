#!/usr/bin/env bash
# What access control and the audit log cost a read by id (issue 6: within 20% of the same
# read without them).
# Builds this checkout and BASE (a commit from before access control; default 1379dd0) in
# release, imports the search benchmark's population (PATIENTS people, about 50 resources
# each) into one SQLite file, then serves it with each build in turn, ROUNDS times
# alternating, and reads patients by id with wrk (2 threads, CLIENTS connections, SECONDS s
# each). Prints each round and the medians. Any answer but 200 fails it.
# ROLE=system (the default) reads every patient with a system token, which sees the whole
# record; ROLE=gp reads, with the token of a GP of the first patient's practice, the patients
# that practice manages (the base build reads the same ones): every read then also runs the
# visibility test of care relationships (issue 6, part 3).
# Usage: scripts/bench-access.sh [patients]
# Environment: BASE=1379dd0 ROLE=system|gp ROUNDS=6 SECONDS_EACH=10 CLIENTS=64 PORT=18111
set -euo pipefail
cd "$(dirname "$0")/.."
patients=${1:-1000}
base_rev=${BASE:-1379dd0}
rounds=${ROUNDS:-6}
seconds=${SECONDS_EACH:-10}
clients=${CLIENTS:-64}
port=${PORT:-18111}
role=${ROLE:-system}
work=bench-access
mkdir -p "$work"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

swift build -c release --product joinedup
new="$(swift build -c release --show-bin-path)/joinedup"
if [ ! -d "$work/base" ]; then git worktree add -f "$work/base" "$base_rev"; fi
(cd "$work/base" && swift build -c release --product joinedup)
base="$(cd "$work/base" && swift build -c release --show-bin-path)/joinedup"

source scripts/bench-search/common.sh
bench_token "$new" "$work/keys.json"
store="$work/area-$patients.sqlite"
if [ ! -f "$store" ]; then
    "$new" bench-search ndjson --patients "$patients" --seed 1 --output "$work/population-$patients.ndjson" >/dev/null
    "$new" import --database "$store" "$work/population-$patients.ndjson" | grep 'resources/s'
fi
write_read_urls "$patients" "$work/read.txt"
if [ "$role" = gp ]; then
    # The first practice's ODS code and its patients, asked of the store with the system token.
    rm -rf "$work/gp.sqlite"*; cp "$store" "$work/gp.sqlite"
    "$new" serve --database "$work/gp.sqlite" --keys "$work/keys.json" --port "$port" --log-level warning >/dev/null 2>&1 &
    server=$!
    wait_for_server "$port"
    auth="Authorization: Bearer $JOINEDUP_TOKEN"
    practice=$(curl -sf -H "$auth" "http://127.0.0.1:$port/fhir/Patient/bp-0000000" | python3 -c 'import json,sys; print(json.load(sys.stdin)["managingOrganization"]["reference"])')
    ods=$(curl -sf -H "$auth" "http://127.0.0.1:$port/fhir/$practice" | python3 -c 'import json,sys; print(json.load(sys.stdin)["identifier"][0]["value"])')
    curl -sf -H "$auth" "http://127.0.0.1:$port/fhir/Patient?organization=$practice&_count=1000&_elements=id" \
        | python3 -c 'import json,sys; [print("/fhir/Patient/" + e["resource"]["id"] + "\t0") for e in json.load(sys.stdin).get("entry", [])]' >"$work/read.txt"
    stop_server
    echo "ROLE=gp: a GP of $ods reads its $(wc -l <"$work/read.txt") patients"
    JOINEDUP_TOKEN=$("$new" token --keys "$work/keys.json" --user bench-gp --role gp --org "$ods" --scope 'user/*.read' --minutes 1440)
    export JOINEDUP_TOKEN
fi
# Each build serves its own copy, made afresh: the new build adds the audit log's tables
# (which the base build does not know) and fills them as it serves.
for which in base new; do
    for suffix in "" -wal -shm; do
        rm -f "$work/$which.sqlite$suffix"
        if [ -f "$store$suffix" ]; then cp "$store$suffix" "$work/$which.sqlite$suffix"; fi
    done
done

echo "== read by id as $role, $patients patients, wrk -t2 -c$clients, ${seconds} s a round; base $base_rev against $(git rev-parse --short HEAD)"
describe_machine
lua=scripts/bench-search/urls.lua
results="$work/results.tsv"
: >"$results"
for round in $(seq "$rounds"); do
    for which in base new; do
        if [ "$which" = new ]; then
            # The per-user rate limit would answer a GP's 20,000 reads a second with 429s:
            # what is measured is the enforcement of access, not the throttling.
            "$new" serve --database "$work/new.sqlite" --keys "$work/keys.json" --port "$port" --log-level warning \
                --user-rate 100000000 --user-burst 100000000 >/dev/null 2>&1 &
        else
            "$base" serve --database "$work/base.sqlite" --port "$port" --log-level warning >/dev/null 2>&1 &
        fi
        server=$!
        wait_for_server "$port"
        wrk -t2 -c"$clients" -d3s --timeout 10s -s "$lua" "http://127.0.0.1:$port" -- "$work/read.txt" read >/dev/null
        line=$(wrk -t2 -c"$clients" -d"${seconds}s" --timeout 10s --latency -s "$lua" "http://127.0.0.1:$port" -- "$work/read.txt" read | grep '^RESULT ')
        bad=$(( $(field non200 "$line") + $(field short "$line") + $(field timeouts "$line") + $(field socket_errors "$line") ))
        printf '%s\t%s\t%s\t%s\t%s\n' "$which" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$bad" >>"$results"
        printf '  round %d %-4s %9s requests/s  p50 %6s ms  p99 %6s ms  failed %s\n' "$round" "$which" "$(field rps "$line")" \
            "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$bad"
        stop_server
    done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]) if line.strip()]
def median(which, column): return statistics.median(float(r[column]) for r in rows if r[0] == which)
failed = sum(int(r[4]) for r in rows)
for name, column in (("requests/s", 1), ("p50 ms", 2), ("p99 ms", 3)):
    b, n = median("base", column), median("new", column)
    print(f"median {name:11} without access control {b:10.2f}  with {n:10.2f}  ({(n - b) / b * 100:+.1f}%)")
print("INVALID: some answers were not 200" if failed else "every answer was a 200")
PY
