package dev.spillway.gateway.access.keys;

import java.util.List;
import java.util.Optional;

/**
 * The port where app keys live (SQLite or PostgreSQL through JDBC, or memory in tests). Calls
 * block: callers on the event loop go through {@link KeyResolver} or a worker. Implementations are
 * thread-safe and live as long as the gateway or command.
 */
public interface KeyStore extends AutoCloseable {
    void insert(AppKey key);

    Optional<AppKey> findByHash(String secretHash);

    Optional<AppKey> findById(String id);

    /** Every key, newest first. */
    List<AppKey> list();

    /** Replaces the key's expiry and revocation; the only fields that change after creation. */
    void update(AppKey key);

    @Override
    default void close() {
    }
}
