-- Atomic check-and-reserve over every counter of one admission (DESIGN 4.1).
-- KEYS: per charge, the counter hash then its hold-expiry sorted set (same hash tag).
-- ARGV: now-ms, hold-expiry-ms, request-id, replica-id, then per charge: capacity, amount,
-- hold (1|0), key-ttl-ms, contributed (1|0: this replica has charged this counter before).
-- Key TTLs are relative so that a skew between the replicas' clocks and Redis's cannot expire a live key.
-- Hash fields: used (settled), held (sum of live holds), h:<request-id> (one hold's amount),
-- r:<replica-id> (that replica's share is in this counter).
-- Returns {1, remaining...} when granted, {0, index, remaining} when charge <index> does not fit,
-- {2, index} when this replica charged counter <index> before but Redis no longer has its share
-- (Redis restarted empty): the caller restores its share (restore.lua) and asks again.
local now = tonumber(ARGV[1])
local holdExpiry = ARGV[2]
local id = ARGV[3]
local mine = 'r:' .. ARGV[4]
local n = #KEYS / 2

for i = 1, n do
  if ARGV[4 + i * 5] == '1' and redis.call('HEXISTS', KEYS[2 * i - 1], mine) == 0 then return {2, i} end
end

local function purge(h, z)
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  for _, rid in ipairs(expired) do
    local amount = tonumber(redis.call('HGET', h, 'h:' .. rid) or '0')
    redis.call('HINCRBY', h, 'held', -amount)
    redis.call('HDEL', h, 'h:' .. rid)
  end
  if #expired > 0 then redis.call('ZREMRANGEBYSCORE', z, '-inf', now) end
end

local remaining = {}
for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  purge(h, z)
  local base = 4 + (i - 1) * 5
  local capacity, amount = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2])
  local total = tonumber(redis.call('HGET', h, 'used') or '0') + tonumber(redis.call('HGET', h, 'held') or '0')
  if total + amount > capacity then return {0, i, capacity - total} end
  remaining[i] = capacity - total - amount
end

for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local base = 4 + (i - 1) * 5
  local amount, hold, keyTtl = tonumber(ARGV[base + 2]), ARGV[base + 3], ARGV[base + 4]
  if hold == '1' then
    redis.call('HINCRBY', h, 'held', amount)
    redis.call('HINCRBY', h, 'h:' .. id, amount)
    redis.call('ZADD', z, holdExpiry, id)
  else
    redis.call('HINCRBY', h, 'used', amount)
  end
  redis.call('HSET', h, mine, 1)
  redis.call('PEXPIRE', h, keyTtl)
  redis.call('PEXPIRE', z, keyTtl)
end

local out = {1}
for i = 1, n do out[i + 1] = remaining[i] end
return out
