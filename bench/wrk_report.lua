-- Loaded with `wrk -s`. Prints one machine-readable line with the totals and latency percentiles.
-- With BENCH_WRK_TOKENS naming a file of JWT access tokens (one a line), each request carries the
-- next token, so the load comes from many users, as a real catalog's does, instead of one.
local path = os.getenv("BENCH_WRK_TOKENS")
if path and path ~= "" then
  local tokens = {}
  for line in io.lines(path) do
    if line ~= "" then tokens[#tokens + 1] = "Bearer " .. line end
  end
  local i = 0
  local threads = 0

  setup = function(thread)
    threads = threads + 1
    thread:set("start", threads * 7919)
  end

  init = function(args)
    i = (start or 0) % #tokens
  end

  request = function()
    i = i % #tokens + 1
    return wrk.format(nil, nil, { Authorization = tokens[i] })
  end
end

-- With BENCH_WRK_EVENTS naming a file of signed webhook deliveries (one a line: the Stripe-Signature
-- header, a tab, the JSON body), each request POSTs the next one. The lines are dealt out to the
-- wrk threads (BENCH_WRK_THREADS of them), so every event is sent once; a thread that has sent all
-- of its events starts again from its first (counted as "repeated": the run then had too few).
local events_path = os.getenv("BENCH_WRK_EVENTS")
local threads_seen = {}
if events_path and events_path ~= "" then
  local count = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")

  setup = function(thread)
    threads_seen[#threads_seen + 1] = thread
    thread:set("index", #threads_seen - 1)
  end

  init = function(args)
    events = {}
    local n = 0
    for line in io.lines(events_path) do
      if n % count == index then
        local tab = line:find("\t", 1, true)
        events[#events + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
      end
      n = n + 1
    end
    next_event = 0
    repeated = 0
  end

  request = function()
    if next_event >= #events then
      next_event = 0
      repeated = repeated + 1
    end
    next_event = next_event + 1
    local event = events[next_event]
    return wrk.format("POST", nil, {
      ["Content-Type"] = "application/json; charset=utf-8",
      ["Stripe-Signature"] = event[1],
      ["User-Agent"] = "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
    }, event[2])
  end
end

local function repeated_total()
  local total = 0
  for _, thread in ipairs(threads_seen) do
    total = total + (thread:get("repeated") or 0)
  end
  return total
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, '
      .. '"repeated": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max, repeated_total()))
end
