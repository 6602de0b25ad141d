package dev.spillway.gateway.route.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.core.wire.Operation;

/**
 * The cheap token estimate used to decide whether a request fits a backend's remaining quota, the
 * way Azure estimates at admission (research/azure-api.md section 2.1): body characters / 4 for the
 * prompt, plus {@code max_completion_tokens} or {@code max_tokens} (else a default) times
 * {@code n}. No tokenizer (DESIGN.md, non-negotiable 2). Stateless.
 */
public final class RequestEstimate {
    private RequestEstimate() {
    }

    public static long tokens(Exchange exchange, int defaultCompletionTokens) {
        long prompt = exchange.rawBody().length() / 4L;
        ObjectNode body = exchange.body().orElse(null);
        if (body == null || exchange.operation() == Operation.EMBEDDINGS) return prompt;
        return prompt + completion(body, defaultCompletionTokens) * Math.max(1, body.path("n").asInt(1));
    }

    private static long completion(ObjectNode body, int fallback) {
        JsonNode max = body.get("max_completion_tokens");
        if (max == null || !max.canConvertToLong()) max = body.get("max_tokens");
        return max != null && max.canConvertToLong() && max.asLong() > 0 ? max.asLong() : fallback;
    }
}
