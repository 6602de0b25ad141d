package dev.spillway.gateway.batch;

import java.util.Objects;
import java.util.Optional;

/**
 * One request taken from the message queue: the deployment it waited for, the endpoint and body to
 * run, the app key it carries (absent: the configured identity), where its answer goes and under
 * which correlation id, how often it was tried before, and the broker's handle on it. Immutable.
 */
public record QueuedRequest(String deployment, String endpoint, String body, Optional<String> apiKey,
        Optional<String> replyTo, Optional<String> correlationId, int attempts, Object handle) {
    public QueuedRequest {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(handle, "handle");
    }

    /** What a request got: the HTTP status, the gateway's request id and the response body (JSON). Immutable. */
    public record Answer(int status, String requestId, String body) {
    }
}
