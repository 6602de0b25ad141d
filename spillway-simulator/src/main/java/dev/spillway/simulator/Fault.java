package dev.spillway.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected failure: a {@link FaultKind}, plus the status and retry delay used by
 * {@link FaultKind#STATUS}. Built from a config rule or from {@code x-sim-*} request headers. Immutable.
 */
public record Fault(FaultKind kind, int status, Duration retryAfter) {
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    public Fault {
        Objects.requireNonNull(kind, "fault: is required");
        Objects.requireNonNull(retryAfter, "retry-after: is required");
        if (kind == FaultKind.STATUS && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status: must be an HTTP error status 400-599, was " + status);
        }
        if (retryAfter.isNegative()) throw new IllegalArgumentException("retry-after: must be >= 0, was " + retryAfter);
    }

    public static Fault status(int status) {
        return new Fault(FaultKind.STATUS, status, DEFAULT_RETRY_AFTER);
    }

    public static Fault of(FaultKind kind) {
        return new Fault(kind, 0, DEFAULT_RETRY_AFTER);
    }
}
