package dev.spillway.gateway.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the usage ledger: what one client request cost and how it went. Immutable; the
 * request id is unique, so storing the same record twice is a no-op. Cost is in nano-USD
 * (1e-9 USD) so sums are exact integers. {@code priority} is the request's class
 * ({@code interactive}, {@code low} or {@code batch}); {@code batchDiscountNanos} what a price's
 * {@code batch-discount-percent} took off a batch line's cost (already out of {@code costNanos});
 * {@code safety} the safety checks that acted on the request, each once, as space-separated
 * {@code check:action} words ({@code injection:block pii:redact}), never what they matched. A cache hit ({@code cacheHit}) used no backend tokens; {@code savedNanos}
 * is what its answer cost when a backend produced it.
 */
public record UsageRecord(
        String requestId, Instant occurredAt,
        String app, String team, String user, String keyPrefix,
        String deployment, String backend, String region, String model,
        long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
        boolean usageEstimated, long costNanos,
        Optional<Duration> timeToFirstToken, Duration latency,
        int status, int attempts, boolean streamed, boolean cacheHit, String traceId, String priority,
        long batchDiscountNanos, String safety, long savedNanos) {

    public UsageRecord {
        Objects.requireNonNull(requestId, "requestId");
        if (requestId.isBlank()) throw new IllegalArgumentException("request-id: must not be blank");
        Objects.requireNonNull(occurredAt, "occurredAt");
        for (String s : new String[] {app, team, user, keyPrefix, deployment, backend, region, model, traceId, priority, safety}) {
            Objects.requireNonNull(s, "text fields must not be null (use \"\")");
        }
        Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
        Objects.requireNonNull(latency, "latency");
        if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("tokens: must be >= 0");
        }
        if (costNanos < 0) throw new IllegalArgumentException("cost: must be >= 0, was " + costNanos);
        if (batchDiscountNanos < 0) {
            throw new IllegalArgumentException("batch discount: must be >= 0, was " + batchDiscountNanos);
        }
        if (savedNanos < 0) throw new IllegalArgumentException("saved: must be >= 0, was " + savedNanos);
    }

    /** A record of a request no cache answered (nothing saved). */
    public UsageRecord(String requestId, Instant occurredAt, String app, String team, String user, String keyPrefix,
            String deployment, String backend, String region, String model, long promptTokens, long completionTokens,
            long cachedTokens, long reasoningTokens, boolean usageEstimated, long costNanos,
            Optional<Duration> timeToFirstToken, Duration latency, int status, int attempts, boolean streamed,
            boolean cacheHit, String traceId, String priority, long batchDiscountNanos, String safety) {
        this(requestId, occurredAt, app, team, user, keyPrefix, deployment, backend, region, model, promptTokens,
                completionTokens, cachedTokens, reasoningTokens, usageEstimated, costNanos, timeToFirstToken, latency,
                status, attempts, streamed, cacheHit, traceId, priority, batchDiscountNanos, safety, 0);
    }

    /** A record with no batch discount and no safety finding. */
    public UsageRecord(String requestId, Instant occurredAt, String app, String team, String user, String keyPrefix,
            String deployment, String backend, String region, String model, long promptTokens, long completionTokens,
            long cachedTokens, long reasoningTokens, boolean usageEstimated, long costNanos,
            Optional<Duration> timeToFirstToken, Duration latency, int status, int attempts, boolean streamed,
            boolean cacheHit, String traceId, String priority) {
        this(requestId, occurredAt, app, team, user, keyPrefix, deployment, backend, region, model, promptTokens,
                completionTokens, cachedTokens, reasoningTokens, usageEstimated, costNanos, timeToFirstToken, latency,
                status, attempts, streamed, cacheHit, traceId, priority, 0, "", 0);
    }

    /** A record of an interactive request (the class of every request before priorities existed). */
    public UsageRecord(String requestId, Instant occurredAt, String app, String team, String user, String keyPrefix,
            String deployment, String backend, String region, String model, long promptTokens, long completionTokens,
            long cachedTokens, long reasoningTokens, boolean usageEstimated, long costNanos,
            Optional<Duration> timeToFirstToken, Duration latency, int status, int attempts, boolean streamed,
            boolean cacheHit, String traceId) {
        this(requestId, occurredAt, app, team, user, keyPrefix, deployment, backend, region, model, promptTokens,
                completionTokens, cachedTokens, reasoningTokens, usageEstimated, costNanos, timeToFirstToken, latency,
                status, attempts, streamed, cacheHit, traceId, "interactive");
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
