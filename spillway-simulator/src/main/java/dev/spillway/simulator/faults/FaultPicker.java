package dev.spillway.simulator.faults;

import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.FaultRule;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the fault, if any, for one request: the {@code x-sim-status} / {@code x-sim-fault} request
 * headers win; otherwise each config rule for the deployment is drawn in order with seeded
 * randomness (a SplitMix64 sequence, so a run with the same seed and request order repeats).
 * Thread-safe.
 */
public final class FaultPicker {
    private final List<FaultRule> rules;
    private final long seed;
    private final AtomicLong draws = new AtomicLong();

    public FaultPicker(List<FaultRule> rules, long seed) {
        this.rules = List.copyOf(rules);
        this.seed = seed;
    }

    /** The fault for a request to {@code deployment}; throws InvalidRequest for a malformed x-sim header. */
    public Optional<Fault> pick(MultiMap headers, String deployment) {
        Optional<Fault> fromHeaders = fromHeaders(headers);
        if (fromHeaders.isPresent()) return fromHeaders;
        for (FaultRule rule : rules) {
            if (rule.appliesTo(deployment) && draw() < rule.probability()) return Optional.of(rule.fault());
        }
        return Optional.empty();
    }

    private static Optional<Fault> fromHeaders(MultiMap headers) {
        String status = headers.get("x-sim-status");
        String kind = headers.get("x-sim-fault");
        if (status == null && kind == null) return Optional.empty();
        Duration retryAfter = Duration.ofMillis(SimHeaders.nonNegative(headers, "x-sim-retry-after-ms")
                .orElse(Fault.DEFAULT_RETRY_AFTER.toMillis()));
        if (status != null) {
            long code = SimHeaders.nonNegative(headers, "x-sim-status").orElseThrow();
            if (code < 400 || code > 599) throw invalid("x-sim-status", "must be an HTTP error status 400-599");
            return Optional.of(new Fault(FaultKind.STATUS, (int) code, retryAfter));
        }
        String wanted = kind.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FaultKind k : FaultKind.values()) {
            if (k != FaultKind.STATUS && k.name().equals(wanted)) return Optional.of(new Fault(k, 0, retryAfter));
        }
        throw invalid("x-sim-fault", "must be one of " + ConfigNode.kebabNames(FaultKind.class).subList(1, 5));
    }

    private double draw() {
        long z = seed + draws.incrementAndGet() * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    static SpillwayException.InvalidRequest invalid(String header, String rule) {
        return new SpillwayException.InvalidRequest("invalid_header", "Header " + header + " " + rule + ".", header);
    }
}
