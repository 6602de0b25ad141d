package dev.spillway.gateway.ledger;

/**
 * Sums of ledger rows sharing one group key and one deployment (the deployment is always kept
 * so that flat PTU costs can be attributed per deployment). Immutable.
 */
public record UsageTotals(String key, String deployment, long requests, long promptTokens,
        long completionTokens, long cachedTokens, long reasoningTokens, long costNanos) {

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
