package dev.spillway.gateway.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.ApiVersions;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.util.List;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Attempt tier: turns the client's request into the backend's, by wire shape. Azure backends get
 * the deployment in the path; OpenAI-style backends get it as the body's {@code model}, and so do
 * Responses API requests on both (Azure's {@code /openai/v1/responses}). Chat streams
 * ask the backend for the usage chunk (DESIGN.md, non-negotiable 3), so the backend counts every
 * stream and the gateway never tokenizes it, where the backend accepts {@code stream_options}:
 * not when its {@code stream-usage} is off, nor on an Azure API version before 2024-09-01 (the
 * stream is then counted by the gateway at completion).
 * A completion request that names no {@code max_tokens} (a Responses request no
 * {@code max_output_tokens}) gets the gateway's {@code max-tokens-cap},
 * so the cap bounds every request. The body is re-serialized only when it must change, so it
 * otherwise reaches the backend byte for byte. Stateless.
 */
public final class TranslatePolicy implements Policy {
    private final long maxTokensCap;
    private final boolean forwardSimHeaders;

    /** {@code forwardSimHeaders}: whether clients' {@code x-sim-*} headers may reach backends. */
    public TranslatePolicy(long maxTokensCap, boolean forwardSimHeaders) {
        if (maxTokensCap < 1) throw new IllegalArgumentException("max-tokens-cap must be > 0, was " + maxTokensCap);
        this.maxTokensCap = maxTokensCap;
        this.forwardSimHeaders = forwardSimHeaders;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Upstream up = exchange.upstream();
        BackendConfig b = up.backend();
        Operation op = exchange.operation();
        String base = b.url().toString();
        String version = exchange.apiVersion().orElse(b.apiVersion());
        if (op == Operation.RESPONSES) {
            // Azure serves the Responses API only on its v1 routes, the deployment in the body's model.
            up.uri(base + (b.api() == BackendConfig.Api.AZURE ? "/openai/v1/" : "/") + op.path());
        } else if (b.api() == BackendConfig.Api.AZURE) {
            // ValidatePolicy allows only Azure's version shapes; encoding keeps that true here too.
            up.uri(base + "/openai/deployments/" + b.deployment() + "/" + op.path() + "?api-version="
                    + URLEncoder.encode(version, StandardCharsets.UTF_8));
        } else {
            up.uri(base + "/" + op.path());
        }
        Headers.copyRequest(exchange.headers(), up.headers(), forwardSimHeaders);
        up.headers().set("content-type", "application/json");
        up.body(body(exchange, b, version));
        return chain.proceed(exchange);
    }

    private Buffer body(Exchange exchange, BackendConfig backend, String version) {
        ObjectNode body = exchange.body().orElse(null);
        if (body == null) return exchange.rawBody();
        boolean injectUsage = exchange.stream() && !exchange.clientWantsUsage() && asksForUsage(backend, version);
        boolean renameModel = backend.api() == BackendConfig.Api.OPENAI || exchange.operation() == Operation.RESPONSES;
        boolean addCap = generates(exchange.operation()) && !namesALimit(body, exchange.operation());
        if (!injectUsage && !renameModel && !exchange.bodyEdited()) {
            return addCap ? withCap(exchange.rawBody(), capField(exchange.operation(), backend, version), body.isEmpty())
                    : exchange.rawBody();
        }
        ObjectNode copy = body.deepCopy();
        if (injectUsage) copy.withObjectProperty("stream_options").put("include_usage", true);
        if (renameModel) copy.put("model", backend.deployment());
        if (addCap) {
            copy.remove(List.of("max_tokens", "max_completion_tokens", "max_output_tokens")); // explicit nulls
            copy.put(capField(exchange.operation(), backend, version), maxTokensCap);
        }
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(copy));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's bytes with the cap written first in the object, every other byte as it came. */
    private Buffer withCap(Buffer raw, String field, boolean emptyObject) {
        int open = 0;
        while (raw.getByte(open) != '{') open++; // a validated JSON object: only whitespace before it
        return Buffer.buffer(raw.length() + 40).appendBuffer(raw, 0, open + 1)
                .appendString("\"" + field + "\":" + maxTokensCap + (emptyObject ? "" : ","))
                .appendBuffer(raw, open + 1, raw.length() - open - 1);
    }

    private static boolean generates(Operation op) {
        return op == Operation.CHAT_COMPLETIONS || op == Operation.COMPLETIONS || op == Operation.RESPONSES;
    }

    private static boolean namesALimit(ObjectNode body, Operation op) {
        if (op == Operation.RESPONSES) return body.hasNonNull("max_output_tokens");
        return body.hasNonNull("max_tokens") || body.hasNonNull("max_completion_tokens");
    }

    /**
     * {@code max_tokens} is all the legacy completions API and Azure API versions before
     * 2024-09-01-preview know; o-series models refuse it, so newer chat calls get
     * {@code max_completion_tokens}. A version that is not a date (OpenAI's v1) is new.
     */
    static String capField(Operation op, BackendConfig backend, String version) {
        if (op == Operation.COMPLETIONS) return "max_tokens";
        if (op == Operation.RESPONSES) return "max_output_tokens";
        return before2024_09(backend, version) ? "max_tokens" : "max_completion_tokens";
    }

    /** Whether a stream to {@code backend} at API {@code version} may ask for its usage chunk. */
    static boolean asksForUsage(BackendConfig backend, String version) {
        return backend.streamUsage() && !before2024_09(backend, version);
    }

    /** An Azure backend called at a dated API version older than 2024-09-01; a version that is not a date (v1) is new. */
    private static boolean before2024_09(BackendConfig backend, String version) {
        return backend.api() == BackendConfig.Api.AZURE
                && ApiVersions.datedBefore(version, ApiVersions.STREAM_USAGE_AND_MAX_COMPLETION_TOKENS_SINCE);
    }
}
