package dev.spillway.retrieval;

import java.util.Objects;
import java.util.Set;

/**
 * One search: the query text, how to search, how many hits, and the access groups of the user
 * asking. A chunk is visible when its document is public or shares a group with {@code groups}.
 */
public record SearchRequest(String query, SearchMode mode, int topK, Set<String> groups) {
    public SearchRequest {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        if (topK < 1 || topK > 100) throw new IllegalArgumentException("top-k: must be 1-100, was " + topK);
        groups = Set.copyOf(groups);
    }
}
