-- wrk script for scripts/bench-search.sh: cycles through the requests of a file, as
-- `joinedup bench-search` writes them (a path, a tab, and the fewest entries a correct answer's
-- first page holds, a line), and counts every answer that is not a 200 and every 200 with
-- fewer entries (fullUrl members) than that, so a run over errors, or over a server ignoring
-- what it was asked, cannot pass for a result.
-- Usage: wrk -t1 -c1 -d10s --latency -s urls.lua http://127.0.0.1:PORT -- FILE [LABEL]
-- Each request carries the bearer token in JOINEDUP_TOKEN (common.sh's bench_token sets it).
-- Prints one line: RESULT label=... requests=... p50_ms=... p90_ms=... p99_ms=... max_ms=...
--   rps=... non200=... short=... timeouts=... socket_errors=...   and, when something failed,
--   FIRST_FAILURE with the status (or "short n<m"), the path and the start of the body.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local name = args[1]
  assert(name, "urls.lua needs the file of paths after --")
  label = args[2] or name
  paths = {}
  minimums = {}
  local file = assert(io.open(name, "r"), "cannot open " .. name)
  for line in file:lines() do
    local path, minimum = string.match(line, "^([^\t]+)\t?(%d*)$")
    if path then
      paths[#paths + 1] = path
      minimums[#paths] = tonumber(minimum) or 1
    end
  end
  file:close()
  assert(#paths > 0, "no paths in " .. name)
  headers = { ["Accept"] = "application/fhir+json" }
  local token = os.getenv("JOINEDUP_TOKEN")
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  index = 0
  non200 = 0
  short = 0
  failure = ""
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index], headers)
end

-- With one connection and no pipelining the answer is to the last request made.
function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if failure == "" then
      failure = status .. " " .. paths[index] .. " " .. string.sub(body or "", 1, 400):gsub("%s+", " ")
    end
  else
    local _, entries = string.gsub(body or "", '"fullUrl"', "")
    if entries < minimums[index] then
      short = short + 1
      if failure == "" then
        failure = "short " .. entries .. "<" .. minimums[index] .. " " .. paths[index] .. " "
          .. string.sub(body or "", 1, 400):gsub("%s+", " ")
      end
    end
  end
end

function done(summary, latency, requests)
  local bad, blank, first, name = 0, 0, "", ""
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non200") or 0)
    blank = blank + (thread:get("short") or 0)
    name = thread:get("label") or name
    local f = thread:get("failure")
    if first == "" and f and f ~= "" then first = f end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT label=%s requests=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f rps=%.1f non200=%d short=%d timeouts=%d socket_errors=%d\n",
    name, summary.requests, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests / seconds, bad, blank,
    e.timeout, e.connect + e.read + e.write))
  if first ~= "" then io.write("FIRST_FAILURE " .. first .. "\n") end
end
