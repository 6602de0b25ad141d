package dev.spillway.simulator.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Deterministic embeddings that mean something: a hashed bag of words. Each word (letters and
 * digits, lower-cased) gets a vector drawn from a Gaussian seeded by a hash of the simulator's
 * seed and the word; a text's vector is the sum of its words' vectors, L2-normalized. The same
 * text always gets the same vector; texts with the same words in another order or case agree
 * exactly; texts that share most of their words are close (cosine about shared words over the
 * geometric mean of their word counts), unrelated texts are near 0, so a semantic cache or a
 * retriever behind the simulator can be tested for hits and misses. A text without words is
 * hashed whole. A shorter {@code dimensions} is the normalized prefix, as text-embedding-3
 * shortening is. Stateless and thread-safe.
 */
final class EmbeddingGenerator {
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private final long seed;

    EmbeddingGenerator(long seed) {
        this.seed = seed;
    }

    float[] embed(String text, int dimensions) {
        double[] sum = new double[dimensions];
        List<String> words = words(text);
        for (String word : words.isEmpty() ? List.of(text) : words) {
            SplittableRandom random = new SplittableRandom(hash(word));
            for (int i = 0; i < dimensions; i++) sum[i] += random.nextGaussian();
        }
        double norm = 0;
        for (double x : sum) norm += x * x;
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) v[i] = (float) (sum[i] * scale);
        return v;
    }

    private static List<String> words(String text) {
        return Arrays.stream(NOT_WORD.split(text.toLowerCase(Locale.ROOT))).filter(w -> !w.isEmpty()).toList();
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
