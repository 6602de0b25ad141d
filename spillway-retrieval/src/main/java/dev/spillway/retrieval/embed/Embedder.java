package dev.spillway.retrieval.embed;

import java.util.List;

/**
 * Turns text into unit-length vectors, so that a dot product is the cosine similarity. Passages
 * and queries go through separate methods because some models prefix queries. Implementations
 * are thread-safe and live as long as the index that uses them.
 */
public interface Embedder {
    /** Names the model; an index records it and refuses vectors from another model. */
    String modelId();

    /** One unit vector per text, in order. */
    List<float[]> embedPassages(List<String> texts);

    default float[] embedQuery(String query) {
        return embedPassages(List.of(query)).getFirst();
    }
}
