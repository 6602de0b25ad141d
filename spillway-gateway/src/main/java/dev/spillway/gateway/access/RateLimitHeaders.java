package dev.spillway.gateway.access;

import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Limit;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The one rule for Azure's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers
 * on a reply: per unit (requests, tokens), the trio comes whole from one source, whichever of the
 * caller's tightest limit and the backend has less left. The backend's trio passes untouched
 * when the backend is tighter (or the caller has no such limit); otherwise all three are the
 * caller's: its capacity, what is left, and the seconds until its window resets (rounded up, as
 * Azure does). Stateless.
 */
final class RateLimitHeaders {
    static final String REQUESTS = "requests";
    static final String TOKENS = "tokens";

    private RateLimitHeaders() {
    }

    /** Applies the rule to {@code headers} (a reply that may carry the backend's trio). */
    static void tighter(MultiMap headers, String unit, Admission.Headroom caller, Instant now) {
        long backendLeft = number(headers.get("x-ratelimit-remaining-" + unit));
        if (backendLeft >= 0 && backendLeft <= caller.remaining()) return;
        trio(caller.limit(), Math.max(0, caller.remaining()), now).forEach(headers::set);
    }

    /** The trio of a refusal: the limit that said no, with what it has left. */
    static Map<String, String> refused(String unit, Limit limit, long remaining, Duration retryAfter) {
        return Map.of("x-ratelimit-limit-" + unit, Long.toString(limit.capacity()),
                "x-ratelimit-remaining-" + unit, Long.toString(remaining),
                "x-ratelimit-reset-" + unit, seconds(retryAfter));
    }

    private static Map<String, String> trio(Limit limit, long remaining, Instant now) {
        String unit = limit.metric() == dev.spillway.gateway.access.limit.Metric.REQUESTS ? REQUESTS : TOKENS;
        return refused(unit, limit, remaining, limit.window().untilReset(now));
    }

    private static String seconds(Duration d) {
        return Long.toString((d.toMillis() + 999) / 1000);
    }

    /** A non-negative whole number, or -1 when absent or malformed. */
    private static long number(String value) {
        if (value == null) return -1;
        try {
            long n = Long.parseLong(value.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
