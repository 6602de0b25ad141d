package dev.spillway.gateway.cache;

import java.util.Objects;
import java.util.Optional;

/**
 * What an admin purge removes: every entry of {@code app}, or only those of one of its partitions
 * ({@link Partition#id()}). Immutable.
 */
public record CachePurge(String app, Optional<String> partition) {
    public CachePurge {
        if (app.isBlank()) throw new IllegalArgumentException("app must not be blank");
        Objects.requireNonNull(partition, "partition");
    }

    public boolean covers(Partition p) {
        return p.app().equals(app) && partition.map(p.id()::equals).orElse(true);
    }
}
