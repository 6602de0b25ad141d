package dev.spillway.gateway.cache.semantic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One question the semantic cache remembers: the unit vector of its text, where it may match (the
 * {@link #bucket()}: partition, deployment, context and embedding model, all exact) and which
 * cached answer it leads to ({@code partition} and {@code request}, the exact cache's key). The
 * answer itself stays in the response cache. Immutable; {@code vector} must not be changed.
 *
 * @param app       the app the partition belongs to (what a purge by app names)
 * @param partition the partition id
 * @param request   the hex digest of the normalised request: the answer's key in its partition
 * @param deployment the deployment alias asked for
 * @param context   the hex digest of everything but the last user turn
 * @param model     the embedding model's id: vectors of two models never compare
 * @param vector    the text's embedding, unit length
 * @param expiresAt when the entry stops matching, epoch milliseconds
 */
public record SemanticEntry(String app, String partition, String request, String deployment, String context,
        String model, float[] vector, long expiresAt) {
    public SemanticEntry {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(model, "model");
        if (partition.isEmpty() || request.isEmpty()) throw new IllegalArgumentException("partition and request must not be empty");
        if (vector.length == 0) throw new IllegalArgumentException("vector must not be empty");
    }

    /** Unique across partitions: the same request asked in two partitions is two entries. */
    public String id() {
        return partition + "/" + request;
    }

    /** What a match must share exactly; the vector index searches one bucket at a time. */
    public String bucket() {
        return bucket(partition, deployment, context, model);
    }

    public static String bucket(String partition, String deployment, String context, String model) {
        return partition + '\n' + deployment + '\n' + context + '\n' + model;
    }

    /** What the entry costs in memory, as the local index's byte bound counts it. */
    public long weight() {
        return 4L * vector.length + 2L * (app.length() + id().length() + bucket().length()) + 256;
    }

    /** The vector as little-endian floats, the form the shared stores keep. */
    public byte[] vectorBytes() {
        ByteBuffer out = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(vector);
        return out.array();
    }

    public static float[] vectorOf(byte[] bytes) {
        if (bytes.length == 0 || bytes.length % 4 != 0) {
            throw new IllegalArgumentException("a vector must be a non-empty multiple of 4 bytes, was " + bytes.length);
        }
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
