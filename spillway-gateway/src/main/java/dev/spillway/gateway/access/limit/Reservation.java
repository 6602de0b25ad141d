package dev.spillway.gateway.access.limit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The holds one admission placed, naming the exact window counter each landed in so that settling
 * after a window rolled over still corrects the right counter. {@code origin} says which store
 * placed it (a fallback store settles its own). Immutable.
 */
public record Reservation(String requestId, String origin, List<Held> held, Instant expiresAt) {
    public Reservation {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(origin, "origin");
        held = List.copyOf(held);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** One counter touched by the admission. */
    public record Held(String counterKey, Charge charge, Instant windowEnd) {
    }

    /** What settling adds to a counter: {@code actual[metric]} for a hold, nothing for a consumed charge. */
    public static long settledAmount(Held held, Map<Metric, Long> actual) {
        if (!held.charge().hold()) return 0;
        return Math.max(0, actual.getOrDefault(held.charge().limit().metric(), held.charge().amount()));
    }
}
