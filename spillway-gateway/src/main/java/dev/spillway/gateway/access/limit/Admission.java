package dev.spillway.gateway.access.limit;

import java.time.Duration;
import java.util.Map;

/** The answer to a reservation: granted with what is left, or denied naming the limit that said no. */
public sealed interface Admission {
    /** Admitted; {@code remaining} is the smallest headroom per metric after this admission. */
    record Granted(Reservation reservation, Map<Metric, Long> remaining) implements Admission {
        public Granted {
            remaining = Map.copyOf(remaining);
        }
    }

    /** Refused by {@code limit}, which has {@code remaining} units left and resets in {@code retryAfter}. */
    record Denied(Limit limit, long remaining, Duration retryAfter) implements Admission {
    }
}
