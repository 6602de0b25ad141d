package dev.spillway.store.jdbc.batch;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.batch.BatchConfig;
import dev.spillway.gateway.batch.BatchStorage;
import dev.spillway.gateway.batch.BatchStorageProvider;
import dev.spillway.store.jdbc.Database;
import java.time.Clock;
import java.time.Duration;

/**
 * Opens the batch store and queues on {@code gateway.database} ({@link Database#shared}); closing the
 * storage gives back its handle. Stateless.
 */
public final class JdbcBatchStorageProvider implements BatchStorageProvider {
    @Override
    public BatchStorage open(DatabaseConfig config, Clock clock, Duration lease) {
        return of(Database.shared(config.url(), config.user(), config.password().map(Secret::value),
                config.maxPoolSize()), clock, lease);
    }

    /** The ports on one open database, which the store closes. */
    public static BatchStorage of(Database database, Clock clock, Duration lease) {
        return new BatchStorage(new JdbcBatchStore(database), new JdbcBatchQueue(database),
                new JdbcRequestQueue(database, clock, lease));
    }

    /** As {@link #of(Database, Clock, Duration)} on the system clock and the default {@code batch.lease}. */
    public static BatchStorage of(Database database) {
        return of(database, Clock.systemUTC(), BatchConfig.DEFAULT.lease());
    }
}
