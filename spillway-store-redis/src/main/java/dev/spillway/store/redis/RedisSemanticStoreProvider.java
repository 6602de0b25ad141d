package dev.spillway.store.redis;

import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.semantic.SemanticStore;
import dev.spillway.gateway.cache.semantic.SemanticStoreProvider;
import java.time.Clock;

/** Makes the Redis semantic store available as {@code gateway.store.type: redis}. Stateless. */
public final class RedisSemanticStoreProvider implements SemanticStoreProvider {
    @Override
    public Kind kind() {
        return Kind.REDIS;
    }

    @Override
    public SemanticStore open(AccessConfig access, CacheConfig.Semantic config, Clock clock) {
        StoreConfig store = access.store();
        return new RedisSemanticStore(store.redisUrl(), store.timeout(), store.keyPrefix() + "sem:",
                config.maxEntries(), clock);
    }
}
