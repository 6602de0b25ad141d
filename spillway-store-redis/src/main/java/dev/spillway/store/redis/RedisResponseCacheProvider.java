package dev.spillway.store.redis;

import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.cache.ResponseCacheProvider;

/** Makes the Redis response cache available when {@code gateway.store.type} is {@code redis}. Stateless. */
public final class RedisResponseCacheProvider implements ResponseCacheProvider {
    @Override
    public StoreConfig.Type type() {
        return StoreConfig.Type.REDIS;
    }

    @Override
    public ResponseCache open(StoreConfig store, CacheConfig config) {
        return new RedisResponseCache(store.redisUrl(), store.timeout(), store.keyPrefix());
    }
}
