package dev.spillway.store.jdbc.keys;

import dev.spillway.core.config.Secret;
import dev.spillway.gateway.access.DatabaseConfig;
import dev.spillway.gateway.access.KeyStoreProvider;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyStore;
import dev.spillway.store.jdbc.Database;
import java.util.List;
import java.util.Optional;

/**
 * Opens the JDBC key store on {@code gateway.database} ({@link Database#shared}); closing the store
 * gives back its handle. Stateless.
 */
public final class JdbcKeyStoreProvider implements KeyStoreProvider {
    @Override
    public KeyStore open(DatabaseConfig config) {
        Database db = Database.shared(config.url(), config.user(), config.password().map(Secret::value),
                config.maxPoolSize());
        JdbcKeyStore keys = new JdbcKeyStore(db.dataSource());
        return new KeyStore() {
            @Override public void insert(AppKey key) { keys.insert(key); }
            @Override public Optional<AppKey> findByHash(String hash) { return keys.findByHash(hash); }
            @Override public Optional<AppKey> findById(String id) { return keys.findById(id); }
            @Override public List<AppKey> list() { return keys.list(); }
            @Override public void update(AppKey key) { keys.update(key); }
            @Override public void close() { db.close(); }
        };
    }
}
