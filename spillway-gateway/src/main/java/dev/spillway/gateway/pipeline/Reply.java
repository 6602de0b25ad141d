package dev.spillway.gateway.pipeline;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.stream.Collector;

/**
 * A response on its way to the client: status, headers and a body that is either whole or a
 * stream. A backend's 4xx/5xx is a Reply too. Owned by one exchange; not thread-safe.
 */
public final class Reply {
    private final int status;
    private final MultiMap headers;
    private Body body;

    public Reply(int status, MultiMap headers, Body body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    public static Reply json(int status, Buffer json) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
        return new Reply(status, headers, new Body.Full(json));
    }

    public int status() {
        return status;
    }

    public MultiMap headers() {
        return headers;
    }

    public Body body() {
        return body;
    }

    /** Replaces the body, for policies that transform it (metering, redaction). */
    public Reply body(Body newBody) {
        this.body = newBody;
        return this;
    }

    /** The whole body: at once when it is full, else once the stream has ended. */
    public Future<Buffer> whole() {
        return switch (body) {
            case Body.Full full -> Future.succeededFuture(full.bytes());
            case Body.Streamed s -> s.chunks().collect(Collector.of(Buffer::buffer, Buffer::appendBuffer,
                    Buffer::appendBuffer));
        };
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** A response body: all of it at once, or a stream of chunks relayed as they arrive. */
    public sealed interface Body {
        record Full(Buffer bytes) implements Body {
        }

        /** Chunks relayed as they arrive; {@code cancel} aborts the source (the client went away). */
        record Streamed(ReadStream<Buffer> chunks, Runnable cancel) implements Body {
        }
    }
}
