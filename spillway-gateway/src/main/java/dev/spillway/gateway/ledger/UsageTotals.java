package dev.spillway.gateway.ledger;

/**
 * Sums of ledger rows sharing one group key and one backend (the backend is always kept so that
 * flat PTU costs can be attributed per backend). Immutable.
 */
public record UsageTotals(String key, String backend, long requests, long promptTokens,
        long completionTokens, long cachedTokens, long reasoningTokens, long costNanos) {

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
