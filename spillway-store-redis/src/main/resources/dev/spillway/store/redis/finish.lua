-- Settle or release one reservation: drop its holds and add the real usage (0 for a release).
-- KEYS: per held counter, the counter hash then its hold-expiry sorted set (same hash tag).
-- ARGV: request-id, then per counter: amount to add to used, key-ttl-ms.
-- A hold that already expired is simply absent; the usage is still added.
local id = ARGV[1]
for i = 1, #KEYS / 2 do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  local add, keyTtl = tonumber(ARGV[2 * i]), ARGV[2 * i + 1]
  local amount = redis.call('HGET', h, 'h:' .. id)
  if amount then
    redis.call('HINCRBY', h, 'held', -tonumber(amount))
    redis.call('HDEL', h, 'h:' .. id)
    redis.call('ZREM', z, id)
  end
  if add > 0 then
    redis.call('HINCRBY', h, 'used', add)
    redis.call('PEXPIRE', h, keyTtl)
    redis.call('PEXPIRE', z, keyTtl)
  end
end
return 1
