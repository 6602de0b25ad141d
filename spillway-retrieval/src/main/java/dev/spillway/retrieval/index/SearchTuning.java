package dev.spillway.retrieval.index;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LuceneRetriever} searches: {@code candidates} hits taken from each leg before
 * fusion; how hybrid fuses them ({@link Fusion}); and how often it looks for a newer commit (so a
 * separate {@code spillway ingest} process shows up). Immutable.
 *
 * @param rrfK       RRF constant: score = sum of 1/(k + rank); used by {@link Fusion#RRF}
 * @param textWeight weight of the BM25 leg in {@link Fusion#LINEAR} (the vector leg gets the rest)
 */
public record SearchTuning(int candidates, Fusion fusion, int rrfK, double textWeight, Duration refreshInterval) {
    /** Hybrid fusion method. */
    public enum Fusion {
        /** Reciprocal rank fusion, Lucene's {@code TopDocs.rrf}: only ranks count. */
        RRF,
        /** Each leg's scores min-max normalised over its candidates, then a weighted sum. */
        LINEAR
    }

    /** Measured best on the SciFact train split; see docs/retrieval.md. */
    public static final SearchTuning DEFAULTS = new SearchTuning(100, Fusion.LINEAR, 60, 0.6, Duration.ofSeconds(1));

    public SearchTuning {
        if (candidates < 1 || candidates > 1000) {
            throw new IllegalArgumentException("candidates: must be 1-1000, was " + candidates);
        }
        Objects.requireNonNull(fusion, "fusion");
        if (rrfK < 1) throw new IllegalArgumentException("rrf-k: must be >= 1, was " + rrfK);
        if (!(textWeight >= 0 && textWeight <= 1)) {
            throw new IllegalArgumentException("text-weight: must be 0-1, was " + textWeight);
        }
        if (refreshInterval.isNegative()) throw new IllegalArgumentException("refresh-interval: must be >= 0");
    }

    public static SearchTuning rrf(int candidates, int rrfK, Duration refreshInterval) {
        return new SearchTuning(candidates, Fusion.RRF, rrfK, DEFAULTS.textWeight(), refreshInterval);
    }

    public static SearchTuning linear(int candidates, double textWeight, Duration refreshInterval) {
        return new SearchTuning(candidates, Fusion.LINEAR, DEFAULTS.rrfK(), textWeight, refreshInterval);
    }
}
