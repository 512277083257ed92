#!/usr/bin/env bash
# Read-by-id over HTTP: loads the benchmark data (joinedup bench), starts the release server on
# it, and drives GET /fhir/Patient/{id} with wrk (2 threads, 32 connections, random ids).
# Usage: scripts/bench-read.sh [seconds] [resources]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
resources=${2:-100000}
port=${PORT:-18080}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

swift build -c release --product joinedup
bin=.build/release/joinedup
$bin bench --resources "$resources" --work-directory bench-output
patients=$((resources / 20))

[ -f bench-output/keys.json ] || $bin keys new --keys bench-output/keys.json >/dev/null
token=$($bin token --keys bench-output/keys.json --user bench --role system --scope 'system/*.*' --minutes 1440)
$bin serve --database bench-output/ndjson.sqlite --keys bench-output/keys.json --port "$port" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
sleep 1
echo "idle resident memory: $(ps -o rss= -p $server | awk '{printf "%d MB", $1/1024}')"

cat > bench-output/read.lua <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", "/fhir/Patient/p" .. math.random(0, $patients - 1), { ["Authorization"] = "Bearer $token" })
end
LUA
wrk -t2 -c32 -d"${seconds}s" --latency -s bench-output/read.lua "http://127.0.0.1:$port"
echo "resident memory after load: $(ps -o rss= -p $server | awk '{printf "%d MB", $1/1024}')"
