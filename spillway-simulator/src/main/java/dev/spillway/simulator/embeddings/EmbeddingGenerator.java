package dev.spillway.simulator.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Deterministic embeddings: the vector of a text is drawn from a Gaussian seeded by a hash of the
 * simulator's seed and the text, then L2-normalized. The same text always gets the same vector;
 * a shorter {@code dimensions} is the normalized prefix, as text-embedding-3 shortening is.
 * Stateless and thread-safe.
 */
final class EmbeddingGenerator {
    private final long seed;

    EmbeddingGenerator(long seed) {
        this.seed = seed;
    }

    float[] embed(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(hash(text));
        float[] v = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) random.nextGaussian();
            norm += (double) v[i] * v[i];
        }
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        for (int i = 0; i < dimensions; i++) v[i] = (float) (v[i] * scale);
        return v;
    }

    /** Little-endian float32 values, base64-encoded, as {@code encoding_format: base64} returns them. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) bytes.putFloat(f);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private long hash(String text) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        return h;
    }
}
