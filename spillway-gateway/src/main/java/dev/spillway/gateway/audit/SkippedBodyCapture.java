package dev.spillway.gateway.audit;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The capture handed out when the audit thread is too far behind to take another body: it counts
 * the bytes that passed and stores none, so the record says {@code incomplete} with no file
 * instead of the gateway queueing without bound. One per body; call from one thread.
 */
final class SkippedBodyCapture implements BodyCapture {
    private long seen;

    @Override
    public void write(byte[] chunk) {
        seen += chunk.length;
    }

    @Override
    public CompletionStage<BodyRef> finish() {
        return CompletableFuture.completedFuture(new BodyRef(null, seen, 0, false, true, "", -1, Optional.empty()));
    }
}
