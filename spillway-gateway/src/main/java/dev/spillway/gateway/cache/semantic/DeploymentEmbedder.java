package dev.spillway.gateway.cache.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.cache.CacheConfig;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.InternalCalls;
import dev.spillway.gateway.pipeline.Priority;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;

/**
 * The gateway's own embeddings deployment as the semantic cache's model ({@code
 * cache.semantic.model: deployment:NAME}): a question is embedded by a call through the gateway
 * itself, routed like any request (pools, failover, breakers), as the internal caller {@value #APP}
 * in the interactive class, ledgered under that app. A call that fails, is refused or takes longer
 * than {@code embed-timeout} fails the embedding, which the gateway counts as a miss. Nothing here
 * blocks: the answer completes on a Vert.x context. Thread-safe; one per gateway.
 */
public final class DeploymentEmbedder {
    /** The app (and key name) the ledger shows for the cache's own embedding calls. */
    public static final String APP = "spillway-cache";
    static final Caller CALLER = new Caller(APP, APP, "", "", "");
    private static final String PATH = "/v1/embeddings";

    private final String deployment;
    private final InternalCalls gateway;
    private final Duration timeout;

    public DeploymentEmbedder(String deployment, InternalCalls gateway, Duration timeout) {
        this.deployment = deployment;
        this.gateway = gateway;
        this.timeout = timeout;
    }

    /** Names the model in the index's buckets: entries made by another deployment never match. */
    public String modelId() {
        return CacheConfig.Semantic.DEPLOYMENT + deployment;
    }

    /** The unit vector of {@code text}; fails on any status but 200 or an answer without a vector. */
    public Future<float[]> embed(String text) {
        // base64 is the shorter answer and the cheaper one to read (Azure and OpenAI both offer it).
        Buffer body = Buffer.buffer(Json.MAPPER.createObjectNode().put("model", deployment).put("input", text)
                .put("encoding_format", "base64").toString());
        return gateway.call(CALLER, Priority.INTERACTIVE, Operation.EMBEDDINGS, PATH, body, timeout)
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw new IllegalStateException("embeddings deployment '" + deployment + "' answered "
                                + answer.status());
                    }
                    return unit(vector(answer.body()));
                });
    }

    /** The first embedding of an answer, base64 little-endian float32 or a JSON array of numbers. */
    static float[] vector(Buffer answer) {
        JsonNode embedding;
        try {
            embedding = Json.MAPPER.readTree(answer.getBytes()).path("data").path(0).path("embedding");
        } catch (IOException e) {
            throw new IllegalStateException("the embeddings answer is not JSON", e);
        }
        if (embedding.isTextual()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(embedding.asText()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[bytes.remaining() / 4];
            for (int i = 0; i < v.length; i++) v[i] = bytes.getFloat();
            return v;
        }
        if (!embedding.isArray() || embedding.isEmpty()) {
            throw new IllegalStateException("the embeddings answer holds no embedding");
        }
        float[] v = new float[embedding.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) embedding.get(i).asDouble();
        return v;
    }

    /** Scaled to length 1, so a dot product is the cosine similarity (the index assumes it). */
    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) norm += (double) x * x;
        if (norm == 0) throw new IllegalStateException("the embeddings answer is a zero vector");
        double scale = 1 / Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * scale);
        return v;
    }
}
