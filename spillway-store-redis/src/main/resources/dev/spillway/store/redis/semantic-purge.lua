-- Removes the semantic entries of an app, or of one of its partitions, and tells every replica.
-- KEYS: the app's id set, index, change log. ARGV: app, partition ('' for all), key prefix, log length
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if ARGV[2] == '' or string.sub(id, 1, #ARGV[2] + 1) == ARGV[2] .. '/' then
    redis.call('DEL', ARGV[3] .. 'e:' .. id)
    redis.call('ZREM', KEYS[2], ARGV[1] .. '\n' .. id)
    redis.call('SREM', KEYS[1], id)
    removed = removed + 1
  end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[4], '*', 'op', 'purge', 'app', ARGV[1], 'partition', ARGV[2])
return removed
