package dev.spillway.gateway.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: the usage ledger's table. {@link #insert} is idempotent by request id (a replayed batch
 * stores nothing twice) and returns how many records were new. Blocking: call from worker
 * threads only. Implementations are thread-safe; close releases the database.
 */
public interface UsageStore extends UsageSink, AutoCloseable {
    Optional<UsageRecord> find(String requestId) throws Exception;

    /** Sums per group key and backend for records in {@code [from, to)}. */
    List<UsageTotals> totals(Instant from, Instant to, Dimension by) throws Exception;

    /** Requests blocked and redacted per group key and safety check in {@code [from, to)}, by key then check. */
    List<SafetyTotals> safetyTotals(Instant from, Instant to, Dimension by) throws Exception;

    /** Sums over all records in {@code [from, to)}: what any report of that period adds up to. */
    UsageTotals grandTotal(Instant from, Instant to) throws Exception;

    @Override
    void close();
}
