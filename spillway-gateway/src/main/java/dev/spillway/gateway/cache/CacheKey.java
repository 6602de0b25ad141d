package dev.spillway.gateway.cache;

import java.util.Objects;

/**
 * Where one cached answer lives: its partition and the hex SHA-256 of the normalised request
 *. The exact cache looks a request up by its own key; a semantic hit names
 * the key of the entry it matched. Immutable.
 */
public record CacheKey(Partition partition, String request) {
    public CacheKey {
        Objects.requireNonNull(partition, "partition");
        if (request.isEmpty()) throw new IllegalArgumentException("request hash must not be empty");
    }
}
