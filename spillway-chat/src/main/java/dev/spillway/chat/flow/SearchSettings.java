package dev.spillway.chat.flow;

import dev.spillway.retrieval.SearchMode;
import java.util.Objects;

/** The per-question settings a user can change in the UI: search mode, top-k, temperature. Immutable. */
public record SearchSettings(SearchMode mode, int topK, double temperature) {
    public static final SearchSettings DEFAULT = new SearchSettings(SearchMode.HYBRID, 3, 0.3);

    public SearchSettings {
        Objects.requireNonNull(mode, "search-mode: is required");
        if (topK < 1 || topK > 50) throw new IllegalArgumentException("top-k: must be 1-50, was " + topK);
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature: must be 0-2, was " + temperature);
        }
    }
}
