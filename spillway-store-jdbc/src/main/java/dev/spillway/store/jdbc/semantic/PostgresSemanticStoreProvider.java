package dev.spillway.store.jdbc.semantic;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.access.AccessConfig;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.cache.semantic.SemanticStore;
import dev.spillway.gateway.cache.semantic.SemanticStoreProvider;
import dev.spillway.store.jdbc.Database;
import java.time.Clock;

/**
 * Makes the PostgreSQL semantic store available as {@code gateway.cache.semantic.shared-in:
 * database}, on {@code gateway.database} with a pool of its own of two connections (its follower
 * and its writer). Stateless.
 */
public final class PostgresSemanticStoreProvider implements SemanticStoreProvider {
    @Override
    public Kind kind() {
        return Kind.POSTGRESQL;
    }

    @Override
    public SemanticStore open(AccessConfig access, CacheConfig.Semantic config, Clock clock) {
        DatabaseConfig d = access.database();
        return new PostgresSemanticStore(Database.open(d.url(), d.user(), d.password().map(Secret::value), 2),
                config.maxEntries(), clock);
    }
}
