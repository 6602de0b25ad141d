package dev.spillway.retrieval.index;

import java.time.Duration;

/**
 * How {@link LuceneRetriever} searches: {@code candidates} hits taken from each leg before fusion,
 * the RRF constant {@code rrfK} (score = sum of 1/(k + rank)), and how often it looks for a newer
 * commit (so a separate {@code spillway ingest} process shows up). Immutable.
 */
public record SearchTuning(int candidates, int rrfK, Duration refreshInterval) {
    public static final SearchTuning DEFAULTS = new SearchTuning(100, 60, Duration.ofSeconds(1));

    public SearchTuning {
        if (candidates < 1 || candidates > 1000) {
            throw new IllegalArgumentException("candidates: must be 1-1000, was " + candidates);
        }
        if (rrfK < 1) throw new IllegalArgumentException("rrf-k: must be >= 1, was " + rrfK);
        if (refreshInterval.isNegative()) throw new IllegalArgumentException("refresh-interval: must be >= 0");
    }
}
