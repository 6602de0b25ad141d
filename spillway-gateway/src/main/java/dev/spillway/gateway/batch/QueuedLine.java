package dev.spillway.gateway.batch;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a batch as it enters the queue: who owns it, the deployment and request body to run,
 * and when its batch expires. A line that failed validation enters already ended, with its
 * error-file line in {@code failedOutput}. Immutable.
 */
public record QueuedLine(String batchId, int lineNo, String app, String deployment, String customId, String body,
        Instant enqueuedAt, Instant expiresAt, Optional<String> failedOutput) {
    public QueuedLine {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(customId, "customId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(failedOutput, "failedOutput");
        if (lineNo < 1) throw new IllegalArgumentException("line: must be >= 1, was " + lineNo);
    }
}
