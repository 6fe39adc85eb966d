-- Loaded with `wrk -s`; prints one line, BENCH_JSON {...}, with the totals and latency percentiles.
-- BENCH_TOKENS: a file of JWTs, one a line; each request carries the next one (many users, not one).
-- BENCH_EVENTS: a file of signed webhook deliveries, "<Stripe-Signature>\t<body>" a line, dealt out
-- to the BENCH_THREADS threads so that each is POSTed once ("repeated" counts those sent again).
local tokens, events = os.getenv("BENCH_TOKENS") or "", os.getenv("BENCH_EVENTS") or ""
local method = os.getenv("BENCH_METHOD") or "GET" -- BENCH_METHOD: POST sends "{}" with each token
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads - 1)
end

function init(args)
  requests, i, repeated = {}, 0, 0
  local count, n = tonumber(os.getenv("BENCH_THREADS") or "1"), 0
  if events ~= "" then
    for line in io.lines(events) do
      if n % count == id then
        local tab = line:find("\t", 1, true)
        local headers = { ["Content-Type"] = "application/json", ["Stripe-Signature"] = line:sub(1, tab - 1) }
        requests[#requests + 1] = wrk.format("POST", nil, headers, line:sub(tab + 1))
      end
      n = n + 1
    end
  elseif tokens ~= "" then
    for line in io.lines(tokens) do
      local headers = { Authorization = "Bearer " .. line, ["Content-Type"] = "application/json" }
      requests[#requests + 1] = wrk.format(method, nil, headers, method == "POST" and "{}" or nil)
    end
    i = (id * 499) % #requests -- the threads start at different users
  end
end

if tokens ~= "" or events ~= "" then
  function request()
    i = i + 1
    if i > #requests then
      i, repeated = 1, repeated + 1
    end
    return requests[i]
  end
end

function done(summary, latency, requests)
  local repeated = 0
  for _, thread in ipairs(threads) do
    repeated = repeated + (events ~= "" and thread:get("repeated") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "status": %d, "socket": %d, "p50_us": %d, '
      .. '"p99_us": %d, "repeated": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), repeated))
end
