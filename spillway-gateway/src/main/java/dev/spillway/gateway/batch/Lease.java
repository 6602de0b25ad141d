package dev.spillway.gateway.batch;

import java.time.Instant;

/**
 * A claimed line: what to run, and the token that proves this worker still holds it until
 * {@code until}. {@code attempts} counts claims of the line, this one included. Immutable.
 */
public record Lease(String batchId, int lineNo, String app, String deployment, String customId, String body,
        String token, Instant until, int attempts) {
}
