package dev.spillway.retrieval.testing;

import dev.spillway.retrieval.embed.Embedder;
import dev.spillway.retrieval.embed.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** A fast, deterministic stand-in for a model: hashed bag of words. Counts the texts it embeds. */
public final class HashingEmbedder implements Embedder {
    private final String modelId;
    public final AtomicInteger embedded = new AtomicInteger();

    public HashingEmbedder() {
        this("hashing-test");
    }

    public HashingEmbedder(String modelId) {
        this.modelId = modelId;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            embedded.incrementAndGet();
            float[] v = new float[32];
            v[0] = 0.01f;
            for (String w : t.toLowerCase(Locale.ROOT).split("\\W+")) if (!w.isEmpty()) v[Math.floorMod(w.hashCode(), 32)] += 1;
            out.add(Vectors.normalize(v));
        }
        return out;
    }
}
