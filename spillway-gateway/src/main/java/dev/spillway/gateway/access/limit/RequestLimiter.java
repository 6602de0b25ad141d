package dev.spillway.gateway.access.limit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Counts one request against every requests-per-minute limit of a caller, all or none. Requests
 * are consumed, not held, so there is nothing to settle. Implementations are thread-safe and live
 * as long as the gateway.
 */
public interface RequestLimiter {
    CompletionStage<Admission> acquire(String requestId, List<Limit> limits);

    /** The embedded limiter, or one that counts in the given (shared) store. */
    static RequestLimiter of(QuotaStore store, boolean shared, java.time.Clock clock) {
        return shared ? new StoreRequestLimiter(store) : new BucketRequestLimiter(clock);
    }
}
