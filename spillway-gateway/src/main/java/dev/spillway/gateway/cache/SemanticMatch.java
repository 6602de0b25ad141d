package dev.spillway.gateway.cache;

import java.util.Objects;

/**
 * A semantic lookup's answer: the key of the cached entry whose question was close enough, and
 * how close (cosine similarity, 0 to 1, at or above the threshold asked for). Immutable.
 */
public record SemanticMatch(CacheKey entry, double similarity) {
    public SemanticMatch {
        Objects.requireNonNull(entry, "entry");
        if (!(similarity >= 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity must be within [0, 1], was " + similarity);
        }
    }
}
