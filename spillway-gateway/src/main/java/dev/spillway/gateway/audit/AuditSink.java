package dev.spillway.gateway.audit;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Port: where audit records and captured bodies go. Both methods return at once (event-loop
 * safe); the work happens on the sink's own thread, durably. Thread-safe; one per gateway.
 */
public interface AuditSink {
    /** Starts capturing one body ({@code direction} is {@code request} or {@code response}). */
    BodyCapture startBody(String requestId, String direction, Instant at);

    /** Appends a record to the hash chain; completes once it is on disk. */
    CompletionStage<Void> write(AuditRecord record);
}
