package dev.spillway.store.jdbc.ledger;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.ledger.UsageStore;
import dev.spillway.gateway.ledger.UsageStoreProvider;
import dev.spillway.store.jdbc.Database;

/**
 * Opens the JDBC usage store on {@code gateway.database} ({@link Database#shared}); closing the store
 * gives back its handle. Stateless.
 */
public final class JdbcUsageStoreProvider implements UsageStoreProvider {
    @Override
    public UsageStore open(DatabaseConfig config) {
        return new JdbcUsageStore(Database.shared(config.url(), config.user(), config.password().map(Secret::value),
                config.maxPoolSize()));
    }
}
