package dev.spillway.gateway.pipeline;

/**
 * The kinds of work done once a response has been written in full or has failed. A policy hands
 * its per-request part to {@link Exchange#onComplete(Completion, java.util.function.Consumer)}
 * under one of these; the order they run in is not theirs but the lifecycle's
 * ({@code server.Lifecycle.COMPLETION_ORDER}), named in one place.
 */
public enum Completion {
    /** Usage: charge a stream that ended without a usage chunk for the tokens it delivered. */
    COUNT_USAGE,
    /** Quota: settle the reservation to the usage, or release it when nothing was produced. */
    SETTLE_QUOTA,
    /** Usage: append the usage record to the ledger and count the request in the metrics. */
    RECORD_USAGE,
    /** Audit: write the audit record (and close the body captures). */
    AUDIT,
    /** Cache: store a complete, unfiltered answer for the next request that asks the same. */
    CACHE,
    /** Trace: end the request span with the final usage and status. */
    END_TRACE,
    /** Server: give the request body's bytes back to the gateway-wide in-flight budget. */
    RELEASE_BODY
}
