package dev.spillway.store.redis;

import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.semantic.SemanticStore;
import dev.spillway.gateway.cache.semantic.SemanticStoreProvider;
import java.time.Clock;

/** Makes the Redis semantic store available as {@code gateway.store.type: redis}. Stateless. */
public final class RedisSemanticStoreProvider implements SemanticStoreProvider {
    @Override
    public StoreConfig.Type type() {
        return StoreConfig.Type.REDIS;
    }

    @Override
    public SemanticStore open(StoreConfig store, CacheConfig.Semantic config, Clock clock) {
        return new RedisSemanticStore(store.redisUrl(), store.timeout(), store.keyPrefix() + "sem:",
                config.maxEntries(), clock);
    }
}
