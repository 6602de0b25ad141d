package dev.spillway.gateway.access;

import dev.spillway.gateway.access.limit.QuotaStore;
import java.time.Clock;

/**
 * A distributed quota store found on the class path ({@link java.util.ServiceLoader}); the Redis
 * module provides {@code redis}. Implementations are stateless factories.
 */
public interface QuotaStoreProvider {
    StoreConfig.Type type();

    QuotaStore open(StoreConfig config, Clock clock);
}
