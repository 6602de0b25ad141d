-- Settle or release one reservation: drop its holds and add the real usage (0 for a release).
-- KEYS: per held counter, the counter hash then its hold-expiry sorted set (same hash tag).
-- ARGV: request-id, replica-id, then per counter: amount to add to used, key-ttl-ms, contributed (1|0).
-- A hold that already expired is simply absent; the usage is still added.
-- Returns {1} when done, {2, index} (nothing changed) when counter <index> lost this replica's
-- share (Redis restarted empty): the caller restores it (restore.lua) and finishes again.
local id = ARGV[1]
local mine = 'r:' .. ARGV[2]
local n = #KEYS / 2
for i = 1, n do
  if ARGV[2 + i * 3] == '1' and redis.call('HEXISTS', KEYS[2 * i - 1], mine) == 0 then return {2, i} end
end
for i = 1, n do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local add, keyTtl = tonumber(ARGV[3 * i]), ARGV[3 * i + 1]
  local amount = redis.call('HGET', h, 'h:' .. id)
  if amount then
    redis.call('HINCRBY', h, 'held', -tonumber(amount))
    redis.call('HDEL', h, 'h:' .. id)
    redis.call('ZREM', z, id)
  end
  if add > 0 then
    redis.call('HINCRBY', h, 'used', add)
    redis.call('HSET', h, mine, 1)
    redis.call('PEXPIRE', h, keyTtl)
    redis.call('PEXPIRE', z, keyTtl)
  end
end
return {1}
