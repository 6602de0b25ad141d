package dev.spillway.retrieval.bench;

import dev.spillway.retrieval.embed.Embedder;
import java.util.List;

/**
 * Not a test: an embedder that embeds queries as passages, without the model's query
 * instruction, to measure what the instruction is worth ({@code -Dquery-instruction=false} in
 * {@link FusionTuning} and {@link PageRecall}).
 */
record NoQueryInstruction(Embedder delegate) implements Embedder {
    static Embedder unless(Embedder embedder) {
        return Boolean.parseBoolean(System.getProperty("query-instruction", "true")) ? embedder : new NoQueryInstruction(embedder);
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        return delegate.embedPassages(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        return delegate.embedPassages(List.of(query)).getFirst();
    }
}
