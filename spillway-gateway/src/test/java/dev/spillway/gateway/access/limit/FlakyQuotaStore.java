package dev.spillway.gateway.access.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A remote store stand-in that tests switch between answering, failing and never answering. */
final class FlakyQuotaStore implements QuotaStore {
    enum Mode { UP, DOWN, STALLED }

    private final InMemoryQuotaStore inner;
    volatile Mode mode = Mode.UP;
    final AtomicInteger calls = new AtomicInteger();

    FlakyQuotaStore(Clock clock) {
        inner = new InMemoryQuotaStore(clock, Duration.ofMinutes(5), "remote");
    }

    @Override
    public CompletionStage<Admission> reserve(String requestId, List<Charge> charges) {
        calls.incrementAndGet();
        return switch (mode) {
            case UP -> inner.reserve(requestId, charges);
            case DOWN -> CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            case STALLED -> new CompletableFuture<>();
        };
    }

    @Override
    public CompletionStage<Void> settle(Reservation reservation, Map<Metric, Long> actual) {
        return mode == Mode.UP ? inner.settle(reservation, actual) : new CompletableFuture<>();
    }

    @Override
    public CompletionStage<Void> release(Reservation reservation) {
        return mode == Mode.UP ? inner.release(reservation) : new CompletableFuture<>();
    }
}
