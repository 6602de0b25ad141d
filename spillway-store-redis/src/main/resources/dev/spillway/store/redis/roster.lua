-- Sets one member's value in a roster and answers every live member's value, in one step.
-- KEYS: the roster hash. ARGV: member, value, ttl-ms.
-- Each field holds "<expiry-ms>|<value>", the expiry on Redis's own clock (TIME), so replicas'
-- clocks never matter. Expired members are removed. Returns {member, value, member, value, ...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], (now + ttl) .. '|' .. ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl * 2)
local out = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local bar = string.find(all[i + 1], '|', 1, true)
  local expiry = tonumber(string.sub(all[i + 1], 1, bar - 1))
  if expiry <= now then
    redis.call('HDEL', KEYS[1], all[i])
  else
    out[#out + 1] = all[i]
    out[#out + 1] = string.sub(all[i + 1], bar + 1)
  end
end
return out
