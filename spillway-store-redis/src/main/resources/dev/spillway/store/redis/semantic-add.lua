-- Keeps one semantic entry for every replica and tells them (RedisSemanticStore).
-- KEYS: entry key, index (zset of "app\nid" by expiry), the app's id set, the change log (stream)
-- ARGV: id, app, entry json, expires-at ms, now ms, ttl ms, max entries, key prefix, log length
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2] .. '\n' .. ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'op', 'add', 'entry', ARGV[3])

-- Forgets an index member; replicas drop expired entries themselves, evicted ones when told.
local function drop(member, announce)
  local newline = string.find(member, '\n', 1, true)
  local app, id = string.sub(member, 1, newline - 1), string.sub(member, newline + 1)
  redis.call('ZREM', KEYS[2], member)
  redis.call('SREM', ARGV[8] .. 'app:' .. app, id)
  redis.call('DEL', ARGV[8] .. 'e:' .. id)
  if announce then redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[9], '*', 'op', 'del', 'id', id) end
end

for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[5], 'LIMIT', 0, 100)) do
  drop(member, false)
end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[7])
if over > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do drop(member, true) end
end
return 1
