package dev.spillway.gateway.server;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids in the UUID version 7 layout (RFC 9562): 48 bits of Unix milliseconds, then 74
 * random bits. Ids of later milliseconds sort after earlier ones, so the ledger's and audit's
 * primary-key indexes grow at their right edge instead of touching a random page per insert
 * (measured in docs/benchmarks.md). Within one millisecond the order is random. Thread-safe.
 */
public final class RequestIds {
    private static final long VERSION_7 = 0x7000L;
    private static final long VARIANT_RFC = 0x8000_0000_0000_0000L;

    private RequestIds() {
    }

    public static String next(Clock clock) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (clock.millis() << 16) | VERSION_7 | (random.nextInt() & 0x0fff);
        long low = VARIANT_RFC | (random.nextLong() >>> 2);
        return new UUID(high, low).toString();
    }
}
