package dev.spillway.gateway.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * Attempt tier: turns the client's request into the backend's, by wire shape. Azure backends get
 * the deployment in the path; OpenAI-style backends get it as the body's {@code model}. Streams
 * ask the backend for the usage chunk (DESIGN.md, non-negotiable 3) so every stream is metered.
 * The body is re-serialized only when it must change, so it otherwise reaches the backend byte
 * for byte. Stateless.
 */
public final class TranslatePolicy implements Policy {
    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        Upstream up = exchange.upstream();
        BackendConfig b = up.backend();
        Operation op = exchange.operation();
        String base = b.url().toString();
        if (b.api() == BackendConfig.Api.AZURE) {
            String version = exchange.apiVersion().orElse(b.apiVersion());
            up.uri(base + "/openai/deployments/" + b.deployment() + "/" + op.path() + "?api-version=" + version);
        } else {
            up.uri(base + "/" + op.path());
        }
        Headers.copyRequest(exchange.headers(), up.headers());
        up.headers().set("content-type", "application/json");
        up.body(body(exchange, b));
        return chain.proceed(exchange);
    }

    private static Buffer body(Exchange exchange, BackendConfig backend) {
        ObjectNode body = exchange.body().orElse(null);
        if (body == null) return exchange.rawBody();
        boolean injectUsage = exchange.stream() && !exchange.clientWantsUsage();
        boolean renameModel = backend.api() == BackendConfig.Api.OPENAI;
        if (!injectUsage && !renameModel && !exchange.bodyEdited()) return exchange.rawBody();
        ObjectNode copy = body.deepCopy();
        if (injectUsage) copy.withObjectProperty("stream_options").put("include_usage", true);
        if (renameModel) copy.put("model", backend.deployment());
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(copy));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
