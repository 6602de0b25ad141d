package dev.spillway.store.jdbc.keys;

import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyStore;
import dev.spillway.store.jdbc.Database;
import java.util.List;
import java.util.Optional;

/** A test's key store that also closes its database. */
record ClosingKeyStore(KeyStore inner, Database db) implements KeyStore {
    @Override public void insert(AppKey key) { inner.insert(key); }
    @Override public Optional<AppKey> findByHash(String hash) { return inner.findByHash(hash); }
    @Override public Optional<AppKey> findById(String id) { return inner.findById(id); }
    @Override public List<AppKey> list() { return inner.list(); }
    @Override public void update(AppKey key) { inner.update(key); }
    @Override public void close() { db.close(); }
}
