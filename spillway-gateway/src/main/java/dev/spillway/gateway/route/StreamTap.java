package dev.spillway.gateway.route;

import dev.spillway.gateway.pipeline.Exchange;
import io.vertx.core.buffer.Buffer;

/**
 * Sees each block of complete SSE frames as it is relayed to the client (after the usage chunk was
 * removed when the client did not ask for it). The hook for counting what a stream cut short
 * really delivered: the gateway's own counting is done by
 * {@code UsagePolicy} in the {@code COUNT_USAGE} completion step. Called on the event loop; must not block.
 */
@FunctionalInterface
public interface StreamTap {
    void relayed(Exchange exchange, Buffer frames);

    StreamTap NONE = (exchange, frames) -> {
        // nothing watches the stream
    };
}
