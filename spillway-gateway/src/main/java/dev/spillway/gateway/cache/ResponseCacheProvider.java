package dev.spillway.gateway.cache;

import dev.spillway.gateway.access.StoreConfig;

/**
 * A shared response cache found on the class path ({@link java.util.ServiceLoader}); the Redis
 * module provides {@code redis}. Used when {@code gateway.store.type} names it. Stateless.
 */
public interface ResponseCacheProvider {
    StoreConfig.Type type();

    ResponseCache open(StoreConfig store, CacheConfig config);
}
