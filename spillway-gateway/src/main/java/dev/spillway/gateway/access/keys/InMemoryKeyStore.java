package dev.spillway.gateway.access.keys;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link KeyStore} in a map, for tests and throw-away demos. Thread-safe; forgets all on exit. */
public final class InMemoryKeyStore implements KeyStore {
    private final Map<String, AppKey> byId = new ConcurrentHashMap<>();

    @Override
    public void insert(AppKey key) {
        if (byId.putIfAbsent(key.id(), key) != null) throw new IllegalArgumentException("duplicate key id " + key.id());
    }

    @Override
    public Optional<AppKey> findByHash(String secretHash) {
        return byId.values().stream().filter(k -> k.secretHash().equals(secretHash)).findFirst();
    }

    @Override
    public Optional<AppKey> findById(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<AppKey> list() {
        return byId.values().stream().sorted(Comparator.comparing(AppKey::createdAt).reversed()).toList();
    }

    @Override
    public void update(AppKey key) {
        byId.computeIfPresent(key.id(), (id, old) -> key);
    }
}
