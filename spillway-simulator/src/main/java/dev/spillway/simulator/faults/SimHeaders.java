package dev.spillway.simulator.faults;

import dev.spillway.simulator.Latency;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the {@code x-sim-*} request headers that steer one response: latency overrides and the
 * answer length. A malformed value is a 400 naming the header. Stateless.
 */
public final class SimHeaders {
    private SimHeaders() {
    }

    /** {@code base} with {@code x-sim-latency-ms} (time to first token) and {@code x-sim-per-token-ms} applied. */
    public static Latency latency(MultiMap headers, Latency base) {
        Duration ttft = nonNegative(headers, "x-sim-latency-ms").map(Duration::ofMillis).orElse(base.timeToFirstToken());
        Duration perToken = nonNegative(headers, "x-sim-per-token-ms").map(Duration::ofMillis).orElse(base.perToken());
        return new Latency(ttft, perToken);
    }

    /** The answer length asked for with {@code x-sim-completion-tokens}, if any (at least 1). */
    public static Optional<Integer> completionTokens(MultiMap headers) {
        Optional<Long> v = nonNegative(headers, "x-sim-completion-tokens");
        if (v.isPresent() && (v.get() < 1 || v.get() > 1_000_000)) {
            throw FaultPicker.invalid("x-sim-completion-tokens", "must be between 1 and 1000000");
        }
        return v.map(Long::intValue);
    }

    static Optional<Long> nonNegative(MultiMap headers, String name) {
        String v = headers.get(name);
        if (v == null) return Optional.empty();
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0 && n <= 86_400_000L) return Optional.of(n);
        } catch (NumberFormatException e) {
            // reported below
        }
        throw FaultPicker.invalid(name, "must be a whole number >= 0, was '" + v + "'");
    }
}
