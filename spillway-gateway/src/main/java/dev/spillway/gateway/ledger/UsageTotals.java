package dev.spillway.gateway.ledger;

/**
 * Sums of ledger rows sharing one group key and one backend (the backend is always kept so that
 * flat PTU costs can be attributed per backend); {@code batchTokens} is the part of the tokens
 * used by Batch API lines, {@code batchDiscountNanos} what the batch price took off their cost,
 * {@code blockedRequests} and {@code redactedRequests} the requests a safety check blocked or
 * redacted, {@code cacheHits} the requests the response cache answered and {@code savedNanos}
 * what their answers had cost. Immutable.
 */
public record UsageTotals(String key, String backend, long requests, long promptTokens,
        long completionTokens, long cachedTokens, long reasoningTokens, long costNanos, long batchTokens,
        long batchDiscountNanos, long blockedRequests, long redactedRequests, long cacheHits, long savedNanos) {

    /** Sums with no cache hits among them. */
    public UsageTotals(String key, String backend, long requests, long promptTokens, long completionTokens,
            long cachedTokens, long reasoningTokens, long costNanos, long batchTokens, long batchDiscountNanos,
            long blockedRequests, long redactedRequests) {
        this(key, backend, requests, promptTokens, completionTokens, cachedTokens, reasoningTokens, costNanos,
                batchTokens, batchDiscountNanos, blockedRequests, redactedRequests, 0, 0);
    }

    /** Sums with no batch discount and no safety finding among them. */
    public UsageTotals(String key, String backend, long requests, long promptTokens, long completionTokens,
            long cachedTokens, long reasoningTokens, long costNanos, long batchTokens) {
        this(key, backend, requests, promptTokens, completionTokens, cachedTokens, reasoningTokens, costNanos,
                batchTokens, 0, 0, 0);
    }

    /** Sums with no batch tokens among them. */
    public UsageTotals(String key, String backend, long requests, long promptTokens, long completionTokens,
            long cachedTokens, long reasoningTokens, long costNanos) {
        this(key, backend, requests, promptTokens, completionTokens, cachedTokens, reasoningTokens, costNanos, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
