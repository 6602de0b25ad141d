package dev.spillway.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    private static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    @Test
    void isAVersion7UuidCarryingTheMillisecond() {
        long millis = 1_795_000_000_123L;
        UUID id = UUID.fromString(RequestIds.next(at(millis)));
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(millis, id.getMostSignificantBits() >>> 16);
    }

    @Test
    void laterMillisecondsSortAfterEarlierOnesAsText() {
        String earlier = RequestIds.next(at(1_795_000_000_123L));
        String later = RequestIds.next(at(1_795_000_000_124L));
        assertTrue(earlier.compareTo(later) < 0, earlier + " should sort before " + later);
    }

    @Test
    void idsInOneMillisecondDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) seen.add(RequestIds.next(at(1_795_000_000_123L)));
        assertEquals(10_000, seen.size());
    }
}
