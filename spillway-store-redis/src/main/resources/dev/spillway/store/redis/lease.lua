-- Takes or renews a lease: KEYS[1] the lease, ARGV[1] the holder, ARGV[2] its time to live in ms.
-- Returns {1} when ARGV[1] holds the lease afterwards, {0} when another holder does.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1}
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1}
end
return {0}
