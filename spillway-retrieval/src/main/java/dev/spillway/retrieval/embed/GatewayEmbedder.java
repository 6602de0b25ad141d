package dev.spillway.retrieval.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embeds through an OpenAI-compatible {@code POST {base-url}/embeddings} endpoint (normally the
 * Spillway gateway), in batches. Used by ingestion, off the chat hot path, so it blocks.
 * Thread-safe; one per config.
 */
public final class GatewayEmbedder implements Embedder {
    private final GatewayEmbedderConfig config;
    private final HttpClient http;

    public GatewayEmbedder(GatewayEmbedderConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    @Override
    public String modelId() {
        return "gateway:" + config.model();
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += config.batchSize()) {
            out.addAll(call(texts.subList(from, Math.min(texts.size(), from + config.batchSize()))));
        }
        return out;
    }

    private List<float[]> call(List<String> batch) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", config.model()).put("encoding_format", "float");
        body.putArray("input").addAll(batch.stream().map(t -> body.textNode(t.isBlank() ? "." : t)).toList());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(config.baseUrl() + "/embeddings"))
                .timeout(config.timeout())
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + config.apiKey().value())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        // A query embedded during a traced chat turn joins the turn's trace at the gateway.
        W3CTraceContextPropagator.getInstance().inject(Context.current(), builder, HttpRequest.Builder::header);
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("embeddings call to " + config.baseUrl() + " failed: HTTP "
                        + response.statusCode() + ": " + abbreviate(response.body()));
            }
            return parse(Json.MAPPER.readTree(response.body()), batch.size());
        } catch (IOException e) {
            throw new UncheckedIOException("embeddings call to " + config.baseUrl() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
    }

    private static List<float[]> parse(JsonNode root, int expected) {
        JsonNode data = root.path("data");
        if (!data.isArray() || data.size() != expected) {
            throw new IllegalStateException("embeddings response must have " + expected + " items in 'data', had "
                    + (data.isArray() ? data.size() : "none"));
        }
        float[][] vectors = new float[expected][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= expected || !values.isArray() || values.isEmpty()) {
                throw new IllegalStateException("embeddings response has a malformed item: " + abbreviate(item.toString()));
            }
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) values.get(i).asDouble();
            vectors[index] = Vectors.normalize(v);
        }
        return Arrays.asList(vectors);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
