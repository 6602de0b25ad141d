package dev.spillway.gateway.pipeline;

import dev.spillway.core.wire.Operation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * Requests the gateway makes of itself (the semantic cache's embeddings): each runs through the
 * request tier of the config in force, on the OpenAI front door ({@code model} in the body names
 * the deployment), as {@code caller} in {@code priority}, so it is routed (pools, failover,
 * breakers), limited and ledgered like a client's. Callable from any thread; the answer completes
 * on a Vert.x context. Thread-safe.
 */
@FunctionalInterface
public interface InternalCalls {
    /** A call made before the gateway has started answers as if no deployment were there. */
    InternalCalls NONE = (caller, priority, operation, path, body, timeout) ->
            Future.failedFuture(new IllegalStateException("the gateway is not serving yet"));

    /** A call's answer: its status and whole body, read once the call was complete (and ledgered). */
    record Answer(int status, Buffer body) {
    }

    /**
     * Runs {@code body} to {@code path} ({@code /v1/embeddings}); fails when the pipeline refused
     * the call (the error it would have answered, e.g. a 429), it broke, or no answer came within
     * {@code timeout} (the call itself runs on and is ledgered when it ends).
     */
    Future<Answer> call(Caller caller, Priority priority, Operation operation, String path, Buffer body,
            Duration timeout);
}
