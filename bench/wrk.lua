-- One page of ExitSupport under wrk, for bench/wrk_driver.py (not meant to be run by hand).
--
-- BENCH_WRK_PLAN  one line per wrk thread (one connection each):
--                 "<Cookie header or ->\t<path>[ <path>...]"; the thread sends its
--                 cookie (session signed in once, in Python, by wrk_driver.py) and
--                 cycles through its paths
-- BENCH_WRK_EXPECT the status the working page answers with; any other is an error
-- BENCH_RESULT    where done() writes the figures as JSON

local plan = {}
for line in io.lines(os.getenv("BENCH_WRK_PLAN")) do
  local cookie, paths = line:match("^([^\t]*)\t(.*)$")
  local list = {}
  for path in paths:gmatch("%S+") do list[#list + 1] = path end
  plan[#plan + 1] = { cookie = cookie, paths = list }
end

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("index", next_thread)
  threads[#threads + 1] = thread
end

local expect, paths, headers, position
unexpected = 0  -- global: done() reads it from each thread

function init(args)
  expect = tonumber(os.getenv("BENCH_WRK_EXPECT") or "200")
  local mine = plan[(index - 1) % #plan + 1]
  paths = mine.paths
  headers = {}
  if mine.cookie ~= "-" then headers["Cookie"] = mine.cookie end
  position = 0
  unexpected = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position], headers)
end

function response(status, headers, body)
  if status ~= expect then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("unexpected") end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local ok = summary.requests - wrong - socket
  if ok < 0 then ok = 0 end
  local out = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
  out:write(string.format(
    '{"requests": %d, "errors": %d, "socket_errors": %d, "window_s": %.3f, ' ..
    '"rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f}\n',
    ok, wrong + socket, socket, seconds, ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
  out:close()
end
