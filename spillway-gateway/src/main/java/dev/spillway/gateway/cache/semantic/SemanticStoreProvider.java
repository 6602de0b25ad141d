package dev.spillway.gateway.cache.semantic;

import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.cache.CacheConfig;
import java.time.Clock;

/**
 * A shared semantic store found on the class path ({@link java.util.ServiceLoader}); the Redis
 * module provides {@code redis}. Used when {@code gateway.store.type} names it. Stateless.
 */
public interface SemanticStoreProvider {
    StoreConfig.Type type();

    SemanticStore open(StoreConfig store, CacheConfig.Semantic config, Clock clock);
}
