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

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
