package dev.spillway.simulator.limits;

import java.util.Map;

/**
 * The outcome of asking a deployment's limiter to admit a request: admitted or not, how long to
 * wait when not, which limit refused ({@code "token"} or {@code "call"}), and the rate-limit
 * headers to send either way. Immutable.
 */
public record Admission(boolean admitted, long retryAfterMillis, String limit, long cost, Map<String, String> headers) {
    public Admission {
        headers = Map.copyOf(headers);
    }

    static Admission admitted(long cost, Map<String, String> headers) {
        return new Admission(true, 0, "", cost, headers);
    }

    static Admission refused(long retryAfterMillis, String limit, Map<String, String> headers) {
        return new Admission(false, Math.max(1, retryAfterMillis), limit, 0, headers);
    }
}
