package dev.spillway.store.jdbc.batch;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.batch.BatchStorage;
import dev.spillway.gateway.batch.BatchStorageProvider;
import dev.spillway.store.jdbc.Database;

/** Opens the batch store and queue on {@code gateway.database}; closing the storage closes its pool. Stateless. */
public final class JdbcBatchStorageProvider implements BatchStorageProvider {
    @Override
    public BatchStorage open(DatabaseConfig config) {
        return of(Database.open(config.url(), config.user(), config.password().map(Secret::value),
                config.maxPoolSize()));
    }

    /** The two ports on one open database, which the store closes. */
    public static BatchStorage of(Database database) {
        return new BatchStorage(new JdbcBatchStore(database), new JdbcBatchQueue(database));
    }
}
