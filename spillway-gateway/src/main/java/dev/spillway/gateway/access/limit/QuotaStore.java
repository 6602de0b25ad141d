package dev.spillway.gateway.access.limit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The port behind every counted limit (requests, tokens, money). {@link #reserve} checks and
 * charges all limits of one admission in one atomic step inside the store (a Lua script, a lock in
 * memory), never read-then-write from Java, so concurrent admissions over-admit by at most one
 * request's reservation. Implementations are thread-safe and live as long as the gateway.
 */
public interface QuotaStore extends AutoCloseable {
    /** Charges every limit or none; a hold expires by itself if never settled (a crashed replica). */
    CompletionStage<Admission> reserve(String requestId, List<Charge> charges);

    /**
     * Replaces each hold by the real usage ({@code actual} per metric; a metric not given settles
     * to its estimate). Call once per granted reservation.
     */
    CompletionStage<Void> settle(Reservation reservation, Map<Metric, Long> actual);

    /** Drops the holds without charging anything (the request never reached a backend). */
    CompletionStage<Void> release(Reservation reservation);

    /** Completes once the store has tried to reach its server; the embedded store is ready at once. */
    default CompletionStage<Void> started() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    default void close() {
    }
}
