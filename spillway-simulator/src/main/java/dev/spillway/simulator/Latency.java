package dev.spillway.simulator;

import dev.spillway.core.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;

/**
 * Simulated model latency: the wait before the first token, then a wait per token.
 * Zero for both means no timers at all (benchmark mode). Immutable.
 */
public record Latency(Duration timeToFirstToken, Duration perToken) {
    public static final Latency ZERO = new Latency(Duration.ZERO, Duration.ZERO);

    public Latency {
        Objects.requireNonNull(timeToFirstToken, "time-to-first-token: is required");
        Objects.requireNonNull(perToken, "per-token: is required");
        if (timeToFirstToken.isNegative()) {
            throw new IllegalArgumentException("time-to-first-token: must be >= 0, was " + timeToFirstToken);
        }
        if (perToken.isNegative()) throw new IllegalArgumentException("per-token: must be >= 0, was " + perToken);
    }

    /** Reads {@code { time-to-first-token, per-token }}, each defaulting to {@code fallback}'s value. */
    static Latency from(ConfigNode node, Latency fallback) {
        node.allowOnly("time-to-first-token", "per-token");
        Duration ttft = node.duration("time-to-first-token", fallback.timeToFirstToken);
        Duration perToken = node.duration("per-token", fallback.perToken);
        return node.build(() -> new Latency(ttft, perToken));
    }

    public boolean isZero() {
        return timeToFirstToken.isZero() && perToken.isZero();
    }

    /** The whole time to produce {@code tokens} tokens. */
    public Duration total(int tokens) {
        return timeToFirstToken.plus(perToken.multipliedBy(Math.max(0, tokens)));
    }
}
