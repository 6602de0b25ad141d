package dev.spillway.gateway.route;

import dev.spillway.gateway.pipeline.Exchange;
import io.vertx.core.buffer.Buffer;

/**
 * Sees each block of complete SSE frames as it is relayed to the client (after the usage chunk was
 * removed when the client did not ask for it). The hook for counting what a stream cut short
 * really delivered: the ledger plugs a jtokkit counter in here and settles in
 * {@code exchange.onComplete} when no usage chunk arrived. Called on the event loop; must not block.
 */
@FunctionalInterface
public interface StreamTap {
    void relayed(Exchange exchange, Buffer frames);

    StreamTap NONE = (exchange, frames) -> {
        // nothing watches the stream
    };
}
