package dev.spillway.gateway.route.share;

import java.util.Optional;

/**
 * One thing a replica learned about a backend, as it travels between replicas: a small versioned
 * line of tab-separated fields, {@code v1 origin kind backend at a b c d}. {@code at} is when the
 * origin saw it (epoch ms); the meaning of {@code a..d} depends on the kind. A line of another
 * version or shape is not parsed (a newer replica may speak a newer version). Immutable.
 */
public record Learned(String origin, Kind kind, String backend, long at, long a, long b, long c, double d) {
    static final String VERSION = "v1";

    /** What was learned; the fields each kind uses are named on it. */
    public enum Kind {
        /** A 429: {@code a} is when the cooldown ends (epoch ms). */
        COOLDOWN,
        /** The breaker opened at {@code at}. */
        BREAKER_OPEN,
        /** A probe by the lease holder: {@code a} is 1 when healthy, else 0. */
        PROBE,
        /** The origin of a cooldown passed its trial at {@code at}: the others stop holding. */
        RESUMED,
        /** Quota headers: {@code a} tokens left, {@code b} requests left, {@code c} token limit, {@code d} utilization %; -1 when absent. */
        QUOTA,
        /** The origin's requests in flight to a PTU backend: {@code a}. */
        IN_FLIGHT
    }

    public static Learned cooldown(String origin, String backend, long at, long until) {
        return new Learned(origin, Kind.COOLDOWN, backend, at, until, 0, 0, 0);
    }

    public static Learned resumed(String origin, String backend, long at) {
        return new Learned(origin, Kind.RESUMED, backend, at, 0, 0, 0, 0);
    }

    public static Learned breakerOpen(String origin, String backend, long at) {
        return new Learned(origin, Kind.BREAKER_OPEN, backend, at, 0, 0, 0, 0);
    }

    public static Learned probe(String origin, String backend, long at, boolean healthy) {
        return new Learned(origin, Kind.PROBE, backend, at, healthy ? 1 : 0, 0, 0, 0);
    }

    public static Learned quota(String origin, String backend, long at, long tokensLeft, long requestsLeft,
            long tokenLimit, double utilization) {
        return new Learned(origin, Kind.QUOTA, backend, at, tokensLeft, requestsLeft, tokenLimit, utilization);
    }

    public static Learned inFlight(String origin, String backend, long at, long count) {
        return new Learned(origin, Kind.IN_FLIGHT, backend, at, count, 0, 0, 0);
    }

    public String encode() {
        return String.join("\t", VERSION, origin, kind.name(), backend, Long.toString(at), Long.toString(a),
                Long.toString(b), Long.toString(c), Double.toString(d));
    }

    /** The message in {@code line}, or empty when it is not a {@code v1} message. */
    public static Optional<Learned> decode(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 9 || !VERSION.equals(f[0])) return Optional.empty();
        try {
            return Optional.of(new Learned(f[1], Kind.valueOf(f[2]), f[3], Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Double.parseDouble(f[8])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
