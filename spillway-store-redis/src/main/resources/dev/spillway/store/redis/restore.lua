-- Put one replica's share back into a counter Redis lost (it restarted empty), once.
-- KEYS: the counter hash, its hold-expiry sorted set.
-- ARGV: replica-id, settled usage, key-ttl-ms, then per live hold: request-id, amount, expiry-ms.
-- Does nothing if the counter already has this replica's share (r:<replica-id>), so a restore
-- that races a second one, or runs after a mere reconnect, never counts twice.
-- Returns {1} when it restored, {0} when there was nothing to do.
local h, z = KEYS[1], KEYS[2]
local mine = 'r:' .. ARGV[1]
if redis.call('HEXISTS', h, mine) == 1 then return {0} end
redis.call('HINCRBY', h, 'used', tonumber(ARGV[2]))
redis.call('HINCRBY', h, 'held', 0)
for i = 4, #ARGV, 3 do
  local amount = tonumber(ARGV[i + 1])
  redis.call('HINCRBY', h, 'held', amount)
  redis.call('HINCRBY', h, 'h:' .. ARGV[i], amount)
  redis.call('ZADD', z, ARGV[i + 2], ARGV[i])
end
redis.call('HSET', h, mine, 1)
redis.call('PEXPIRE', h, ARGV[3])
if #ARGV > 3 then redis.call('PEXPIRE', z, ARGV[3]) end
return {1}
