-- wrk script for the overhead harness: POSTs one fixed body and, when WRK_RATE is set, paces the
-- requests of all connections on one global fixed-rate schedule (slot k at start + k / rate).
-- Environment: WRK_BODY (file), WRK_RATE (requests/s; unset or 0 = as fast as possible),
-- WRK_HEADERS ("name:value;name:value"). Run wrk with -t1 so there is one schedule.
-- Latency is wrk's own: measured from the write of each request (closed loop per connection).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } pace_timespec;
  int clock_gettime(int clock_id, pace_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("pace_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("WRK_RATE") or "0") or 0
local body_file = os.getenv("WRK_BODY")
local header_list = os.getenv("WRK_HEADERS")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if body_file then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
end
if header_list then
  for pair in string.gmatch(header_list, "[^;]+") do
    local name, value = pair:match("^%s*([^:]+):%s*(.-)%s*$")
    if name then wrk.headers[name] = value end
  end
end

local first_slot_ms = nil
local slots_taken = 0

-- wrk asks before every request after the first on a connection; returning 0 sends at once.
function delay()
  if rate <= 0 then return 0 end
  local t = now_ms()
  if first_slot_ms == nil then first_slot_ms = t end
  local slot = first_slot_ms + slots_taken * 1000 / rate
  slots_taken = slots_taken + 1
  local wait = slot - t
  if wait <= 0 then return 0 end
  return math.ceil(wait) -- wrk's timers have 1 ms granularity
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"mean_us":%.1f,"p50_us":%d,"p90_us":%d,' ..
    '"p99_us":%d,"p999_us":%d,"max_us":%d,"err_connect":%d,"err_read":%d,"err_write":%d,' ..
    '"err_status":%d,"err_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
