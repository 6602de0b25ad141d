package dev.spillway.gateway.batch;

import dev.spillway.gateway.access.DatabaseConfig;

/**
 * The database-backed batch store and queue, found on the class path ({@link java.util.ServiceLoader});
 * the JDBC module ({@code spillway-store-jdbc}) provides them. Stateless.
 */
public interface BatchStorageProvider {
    BatchStorage open(DatabaseConfig config);
}
