package dev.spillway.gateway.access.limit;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The distributed {@link RequestLimiter}: each request consumes one unit of every limit in the
 * shared {@link QuotaStore} in one atomic call, so all replicas count against the same windows.
 * Thread-safe; stateless beyond its store.
 */
public final class StoreRequestLimiter implements RequestLimiter {
    private final QuotaStore store;

    public StoreRequestLimiter(QuotaStore store) {
        this.store = store;
    }

    @Override
    public CompletionStage<Admission> acquire(String requestId, List<Limit> limits) {
        return store.reserve(requestId + ":rpm", limits.stream().map(l -> Charge.consume(l, 1)).toList());
    }
}
