package dev.spillway.gateway.access.limit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@link QuotaStore}: window counters in one map, changed under one lock so that an
 * admission checks and charges all its limits atomically. Thread-safe; one per gateway (and one more
 * as the local fallback of a remote store).
 *
 * <p>Implementation notes: a counter is {@code used} (settled) plus the live holds, each with its own
 * expiry; expired holds are purged when their counter is next touched. Counters of ended windows are
 * swept at most once a minute. The critical section is a few map operations (well under a
 * microsecond), so one lock beats striping for clarity; time comes from the injected clock.
 */
public final class InMemoryQuotaStore implements QuotaStore {
    private final Clock clock;
    private final Duration holdTtl;
    private final String origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Counter> counters = new HashMap<>();
    private Instant nextSweep = Instant.MIN;

    public InMemoryQuotaStore(Clock clock, Duration holdTtl) {
        this(clock, holdTtl, "memory");
    }

    InMemoryQuotaStore(Clock clock, Duration holdTtl, String origin) {
        this.clock = clock;
        this.holdTtl = holdTtl;
        this.origin = origin;
    }

    @Override
    public CompletionStage<Admission> reserve(String requestId, List<Charge> charges) {
        Instant now = clock.instant();
        lock.lock();
        try {
            sweep(now);
            return CompletableFuture.completedFuture(admit(requestId, charges, now));
        } finally {
            lock.unlock();
        }
    }

    private Admission admit(String requestId, List<Charge> charges, Instant now) {
        Map<Metric, Admission.Headroom> remaining = new EnumMap<>(Metric.class);
        List<Counter> touched = new ArrayList<>(charges.size());
        for (Charge c : charges) {
            Limit limit = c.limit();
            Counter counter = counters.computeIfAbsent(limit.counterName() + ":" + limit.window().id(now),
                    k -> new Counter(k, limit.window().end(now)));
            long left = limit.capacity() - counter.total(now);
            if (c.amount() > left) return new Admission.Denied(limit, Math.max(0, left), limit.window().untilReset(now));
            Admission.Headroom.keepTighter(remaining, limit, left - c.amount());
            touched.add(counter);
        }
        Instant expires = now.plus(holdTtl);
        List<Reservation.Held> held = new ArrayList<>(charges.size());
        for (int i = 0; i < charges.size(); i++) {
            Charge c = charges.get(i);
            Counter counter = touched.get(i);
            if (c.hold()) counter.holds.merge(requestId, new Hold(c.amount(), expires), Hold::plus);
            else counter.used += c.amount();
            held.add(new Reservation.Held(counter.key, c, counter.windowEnd));
        }
        return new Admission.Granted(new Reservation(requestId, origin, held, expires), remaining);
    }

    @Override
    public CompletionStage<Void> settle(Reservation reservation, Map<Metric, Long> actual) {
        finish(reservation, actual, true);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> release(Reservation reservation) {
        finish(reservation, Map.of(), false);
        return CompletableFuture.completedFuture(null);
    }

    private void finish(Reservation reservation, Map<Metric, Long> actual, boolean charge) {
        lock.lock();
        try {
            for (Reservation.Held h : reservation.held()) {
                Counter counter = counters.computeIfAbsent(h.counterKey(), k -> new Counter(k, h.windowEnd()));
                counter.holds.remove(reservation.requestId());
                if (charge) counter.used += Reservation.settledAmount(h, actual);
            }
        } finally {
            lock.unlock();
        }
    }

    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) return;
        nextSweep = now.plusSeconds(60);
        counters.values().removeIf(c -> c.windowEnd.plus(holdTtl).isBefore(now));
    }

    private record Hold(long amount, Instant expiresAt) {
        Hold plus(Hold other) {
            return new Hold(amount + other.amount, expiresAt);
        }
    }

    private static final class Counter {
        final String key;
        final Instant windowEnd;
        final Map<String, Hold> holds = new HashMap<>();
        long used;

        Counter(String key, Instant windowEnd) {
            this.key = key;
            this.windowEnd = windowEnd;
        }

        long total(Instant now) {
            holds.values().removeIf(h -> !h.expiresAt().isAfter(now));
            long sum = used;
            for (Hold h : holds.values()) sum += h.amount();
            return sum;
        }
    }
}
