package dev.spillway.gateway.batch;

import dev.spillway.gateway.access.DatabaseConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The database-backed batch store and queues, found on the class path ({@link java.util.ServiceLoader});
 * the JDBC module ({@code spillway-store-jdbc}) provides them. Stateless.
 */
public interface BatchStorageProvider {
    /** Opens the storage; a request taken from the embedded message queue is held for {@code lease} by {@code clock}. */
    BatchStorage open(DatabaseConfig config, Clock clock, Duration lease);
}
