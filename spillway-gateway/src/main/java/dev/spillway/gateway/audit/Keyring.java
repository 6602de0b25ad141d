package dev.spillway.gateway.audit;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys of one purpose (chain signing, body encryption), newest first: the first protects new
 * data, every one reads data written under its id. Empty: the feature is off. Immutable.
 */
public record Keyring(List<AuditKey> keys) {
    public static final Keyring NONE = new Keyring(List.of());

    public Keyring {
        keys = List.copyOf(keys);
        Set<String> ids = new HashSet<>();
        for (AuditKey k : keys) {
            if (!ids.add(k.id())) throw new IllegalArgumentException("key id '" + k.id() + "' appears twice");
        }
    }

    /** The key new data is protected with. */
    public Optional<AuditKey> current() {
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys.getFirst());
    }

    public Optional<AuditKey> byId(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
