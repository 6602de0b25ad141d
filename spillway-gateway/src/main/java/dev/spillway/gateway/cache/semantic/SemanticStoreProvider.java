package dev.spillway.gateway.cache.semantic;

import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.cache.CacheConfig;
import java.time.Clock;

/**
 * A shared semantic store found on the class path ({@link java.util.ServiceLoader}): the Redis
 * module provides {@code redis}, the JDBC module {@code postgresql}. Which one a gateway uses
 * follows {@code gateway.cache.semantic.shared-in} and {@code gateway.store.type}. Stateless.
 */
public interface SemanticStoreProvider {
    /** Where a shared store keeps the entries. */
    enum Kind { REDIS, POSTGRESQL }

    Kind kind();

    /** Opens the store on {@code gateway.store} (Redis) or {@code gateway.database} (PostgreSQL). */
    SemanticStore open(AccessConfig access, CacheConfig.Semantic config, Clock clock);
}
