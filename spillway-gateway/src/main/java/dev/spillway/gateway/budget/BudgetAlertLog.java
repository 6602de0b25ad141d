package dev.spillway.gateway.budget;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: what budget warnings were raised and what became of them, kept in the gateway's database
 * so a restart neither loses a warning nor sends a sent one again, and replicas sharing the
 * database raise and send each warning once. Each warning is one row keyed by app, period,
 * threshold and webhook: pending, then sent or failed. Blocking: call from worker threads.
 * Implementations are thread-safe.
 */
public interface BudgetAlertLog {
    /** Records {@code alert} as pending, due at once, unless the same key exists; true when it was new. */
    boolean raise(BudgetAlert alert) throws Exception;

    /**
     * Pending warnings due at {@code now}, at most {@code max}, each leased to the caller until
     * {@code leaseUntil} in one conditional update, so no other replica sends it meanwhile.
     */
    List<BudgetAlert> takeDue(Instant now, Instant leaseUntil, int max) throws Exception;

    void markSent(BudgetAlert alert, Instant at) throws Exception;

    /**
     * Records a failed attempt ({@code alert.attempts()} counts it): pending again at
     * {@code retryAt}, or failed for good when it is empty.
     */
    void markFailed(BudgetAlert alert, Optional<Instant> retryAt, String error) throws Exception;

    /** The warnings of one period, sent or not, oldest first (for the admin API and tests). */
    List<Entry> entries(String period) throws Exception;

    /** A stored warning and its state: {@code pending}, {@code sent} or {@code failed}. */
    record Entry(BudgetAlert alert, String state, Optional<Instant> sentAt, Optional<String> lastError) {}
}
