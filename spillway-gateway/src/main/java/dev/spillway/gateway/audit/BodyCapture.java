package dev.spillway.gateway.audit;

import java.util.concurrent.CompletionStage;

/**
 * Tee of one request or response body into the audit store. {@link #write} is called on the
 * event loop with each chunk as it passes and never blocks (the bytes are handed to the audit
 * thread, or dropped when the in-flight bound is reached); {@link #finish} once at the end.
 * One per body; call from one thread.
 */
public interface BodyCapture {
    /** Takes ownership of {@code chunk}. */
    void write(byte[] chunk);

    /** Completes with where the redacted body is stored, once it is on disk. */
    CompletionStage<BodyRef> finish();
}
