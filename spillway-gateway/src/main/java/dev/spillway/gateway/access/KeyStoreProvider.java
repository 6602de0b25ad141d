package dev.spillway.gateway.access;

import dev.spillway.gateway.access.keys.KeyStore;

/**
 * The database-backed key store, found on the class path ({@link java.util.ServiceLoader}); the
 * JDBC module provides it. The returned store closes its database when closed.
 */
public interface KeyStoreProvider {
    KeyStore open(DatabaseConfig config);
}
