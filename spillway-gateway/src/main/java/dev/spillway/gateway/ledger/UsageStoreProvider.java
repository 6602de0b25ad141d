package dev.spillway.gateway.ledger;

import dev.spillway.gateway.access.DatabaseConfig;

/**
 * The database-backed usage store, found on the class path ({@link java.util.ServiceLoader}); the
 * JDBC module ({@code spillway-store-jdbc}) provides it. Stateless.
 */
public interface UsageStoreProvider {
    UsageStore open(DatabaseConfig config);
}
