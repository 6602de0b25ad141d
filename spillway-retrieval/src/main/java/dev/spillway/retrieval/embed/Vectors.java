package dev.spillway.retrieval.embed;

/** Vector helpers shared by the embedders. Stateless. */
public final class Vectors {
    private Vectors() {
    }

    /** Scales {@code v} in place to unit length (Lucene's DOT_PRODUCT needs unit vectors). */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        if (sum == 0) throw new IllegalArgumentException("cannot normalize a zero vector");
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }
}
