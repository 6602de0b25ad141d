package dev.spillway.gateway.telemetry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's cardinality bounded: known values pass, the first {@code max} unknown
 * values are admitted, everything after becomes {@code other}. Thread-safe; one per label.
 */
public final class LabelLimiter {
    public static final String OTHER = "other";
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final int max;

    public LabelLimiter(Set<String> known, int max) {
        this.known.addAll(known);
        this.max = max;
    }

    /** Only the known values pass; any other value is {@code other}. */
    public static LabelLimiter closed(Set<String> known) {
        return new LabelLimiter(known, 0);
    }

    /** Values that pass from now on, whatever the cap (a config reload names new backends and deployments). */
    public void know(Set<String> values) {
        known.addAll(values);
    }

    public String label(String value) {
        if (value.isEmpty()) return "none";
        if (known.contains(value) || admitted.contains(value)) return value;
        if (admitted.size() < max) {
            admitted.add(value);
            return value;
        }
        return OTHER;
    }
}
