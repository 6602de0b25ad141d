package dev.spillway.gateway.cache.semantic;

import java.util.Locale;

/**
 * A test embedder: each word adds one to a hashed dimension, so texts with the same words (in any
 * order) are identical vectors and texts that share no word are orthogonal. Thread-safe.
 */
public final class WordEmbedder implements TextEmbedder {
    private static final int DIMENSIONS = 64;

    @Override
    public String modelId() {
        return "words-64";
    }

    @Override
    public float[] embed(String text) {
        float[] v = new float[DIMENSIONS];
        for (String w : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!w.isEmpty()) v[Math.floorMod(w.hashCode(), DIMENSIONS)] += 1;
        }
        double norm = 0;
        for (float x : v) norm += x * x;
        if (norm == 0) v[0] = 1;
        else for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(norm);
        return v;
    }
}
