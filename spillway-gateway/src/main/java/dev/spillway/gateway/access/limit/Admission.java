package dev.spillway.gateway.access.limit;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The answer to a reservation: granted with what is left, or denied naming the limit that said no. */
public sealed interface Admission {
    /** Admitted; {@code tightest} is, per metric, the limit with the least headroom after this admission. */
    record Granted(Reservation reservation, Map<Metric, Headroom> tightest) implements Admission {
        public Granted {
            tightest = Map.copyOf(tightest);
        }

        /** The smallest headroom per metric. */
        public Map<Metric, Long> remaining() {
            Map<Metric, Long> left = new EnumMap<>(Metric.class);
            tightest.forEach((metric, h) -> left.put(metric, h.remaining()));
            return left;
        }
    }

    /** What one limit has left. */
    record Headroom(Limit limit, long remaining) {
        /** Keeps in {@code tightest} whichever of its entry and this one has less left, per metric. */
        public static void keepTighter(Map<Metric, Headroom> tightest, Limit limit, long remaining) {
            tightest.merge(limit.metric(), new Headroom(limit, remaining),
                    (a, b) -> b.remaining() < a.remaining() ? b : a);
        }
    }

    /** Refused by {@code limit}, which has {@code remaining} units left and resets in {@code retryAfter}. */
    record Denied(Limit limit, long remaining, Duration retryAfter) implements Admission {
    }
}
