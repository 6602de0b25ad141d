package dev.spillway.gateway.config;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;
import java.util.Optional;

/**
 * How Spillway checks a backend in the background. The default probe lists models (no tokens);
 * {@code status} GETs a path; {@code completion} sends a one-token chat completion, only if asked
 * for. {@code unhealthy-after} failures in a row (probes or real requests) eject the backend;
 * {@code healthy-after} probe successes in a row bring it back. Immutable.
 */
public record ProbeConfig(Kind kind, Optional<String> path, Duration interval, Duration timeout,
                          int healthyAfter, int unhealthyAfter) {
    public static final ProbeConfig DEFAULT = new ProbeConfig(Kind.MODELS, Optional.empty(),
            Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3);

    /** What a probe sends. */
    public enum Kind { NONE, MODELS, STATUS, COMPLETION }

    public ProbeConfig {
        if (kind == Kind.STATUS && path.isEmpty()) throw new IllegalArgumentException("path: is required when kind is status");
        if (path.isPresent() && !path.get().startsWith("/")) throw new IllegalArgumentException("path: must start with '/', was '" + path.get() + "'");
        if (interval.toMillis() < 100) throw new IllegalArgumentException("interval: must be >= 100ms, was " + interval);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout: must be > 0");
        if (healthyAfter < 1) throw new IllegalArgumentException("healthy-after: must be >= 1, was " + healthyAfter);
        if (unhealthyAfter < 1) throw new IllegalArgumentException("unhealthy-after: must be >= 1, was " + unhealthyAfter);
    }

    static ProbeConfig from(ConfigNode n) {
        if (!n.isPresent()) return DEFAULT;
        n.allowOnly("kind", "path", "interval", "timeout", "healthy-after", "unhealthy-after");
        return n.build(() -> new ProbeConfig(n.choice("kind", Kind.class, DEFAULT.kind()),
                n.optionalString("path"),
                n.duration("interval", DEFAULT.interval()), n.duration("timeout", DEFAULT.timeout()),
                n.integer("healthy-after", DEFAULT.healthyAfter()), n.integer("unhealthy-after", DEFAULT.unhealthyAfter())));
    }
}
