# Helpers the search benchmarks share (scripts/bench-search.sh, scripts/bench-postgres.sh):
# sourced, not run. Starting a server sets $server; stop_server (also run on exit) stops it.

# The commit and the machine, for a report's header.
describe_machine() {
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GB memory"
}

# A field of a RESULT line: field NAME LINE
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

server=""
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=""
    fi
}
trap stop_server EXIT

# Makes the key file KEYS if missing (`joinedup keys new`) and exports JOINEDUP_TOKEN, a day's
# system token signed with it, which urls.lua sends: bench_token BIN KEYS
bench_token() {
    [ -f "$2" ] || "$1" keys new --keys "$2" >/dev/null
    JOINEDUP_TOKEN=$("$1" token --keys "$2" --user bench --role system --scope 'system/*.*' --minutes 1440)
    export JOINEDUP_TOKEN
}

# Every patient of the benchmark population by id, in a shuffled order, as urls.lua reads
# them (no entries: a read is not a Bundle): write_read_urls PATIENTS FILE
write_read_urls() {
    python3 - "$1" "$2" <<'PY'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
ids = [f"/fhir/Patient/bp-{i:07d}\t0" for i in range(n)]
random.Random(7).shuffle(ids)
open(out, "w").write("\n".join(ids) + "\n")
PY
}

# Waits up to 30 s for the server on PORT to answer its health check; exits if it never does.
wait_for_server() {
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return; sleep 0.1; done
    echo "the server did not start"
    exit 1
}
