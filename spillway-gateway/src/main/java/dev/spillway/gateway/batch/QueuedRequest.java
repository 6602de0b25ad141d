package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * One request taken from the message queue: the deployment it waited for, the endpoint and body to
 * run, who it runs as (the owner the gateway authenticated when it was published over HTTP, or the
 * app key a broker message carries; neither: the configured identity), where its answer goes and
 * under which correlation id, how often it was put back before, and the queue's handle on it.
 * Immutable.
 */
public record QueuedRequest(String deployment, String endpoint, String body, Optional<BatchOwner> owner,
        Optional<String> apiKey, Optional<String> replyTo, Optional<String> correlationId, int attempts, Object handle) {
    public QueuedRequest {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(handle, "handle");
    }

    /** What a request got: the HTTP status, the gateway's request id and the response body (JSON). Immutable. */
    public record Answer(int status, String requestId, String body) {
    }

    /**
     * The body with {@code model} naming the deployment the request was queued for; a body that is
     * not a JSON object as it is (the pipeline answers it 400, as it would over HTTP).
     */
    public static String withModel(String body, String deployment) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (!(n instanceof ObjectNode o)) return body;
            return o.put("model", deployment).toString();
        } catch (IOException e) {
            return body;
        }
    }
}
