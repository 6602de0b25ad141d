package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.BufferBytes;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Writes a {@link Reply} to the client. Streams are relayed chunk by chunk with back-pressure
 * (the backend is paused while the client's socket is full), so memory per stream stays bounded.
 * A stream that breaks after it started ends with an explicit error event and no {@code [DONE]}
 * (DESIGN.md, non-negotiable 4); a client that goes away cancels the backend call.
 *
 * <p>The last byte of a reply that ends normally (the whole body of a plain reply; the
 * {@code [DONE]} frame and the end of a stream) is released only after the exchange's records
 * are durable ({@link Exchange#completeBeforeEnd}); if one cannot be stored, the client gets an
 * error instead of a success. One per reply; event-loop confined.
 */
final class ReplyWriter {
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);
    private final Exchange exchange;
    private final HttpServerResponse response;
    private final Context context = Vertx.currentContext();
    private long bytes;
    private boolean finished;
    /** Stream bytes from the {@code [DONE]} frame on, held until the records are durable. */
    private Buffer held;

    ReplyWriter(Exchange exchange, HttpServerResponse response) {
        this.exchange = exchange;
        this.response = response;
    }

    void write(Reply reply) {
        response.setStatusCode(reply.status());
        response.headers().addAll(reply.headers());
        response.putHeader(RequestHandler.REQUEST_ID_HEADER, exchange.requestId());
        switch (reply.body()) {
            case Reply.Body.Full full -> writeFull(reply.status(), full.bytes());
            case Reply.Body.Streamed streamed -> relay(reply.status(), streamed);
        }
    }

    private void writeFull(int status, Buffer body) {
        exchange.firstByteNanos(System.nanoTime());
        whenRecorded(exchange.completeBeforeEnd(new Outcome(status, body.length(), true, false)), recorded -> {
            if (recorded == null) {
                response.end(body);
            } else {
                response.headers().clear();
                ErrorWriter.write(response, recorded, exchange.requestId());
            }
        });
    }

    /**
     * Runs {@code then} on this reply's event loop once the records are durable (with null) or
     * could not be stored (with the error to answer); at once when nothing is held back.
     */
    private void whenRecorded(CompletableFuture<Void> durable, Consumer<SpillwayException> then) {
        if (durable.isDone() && !durable.isCompletedExceptionally()) {
            then.accept(null);
            return;
        }
        durable.whenComplete((ok, e) -> context.runOnContext(v -> then.accept(e == null ? null
                : new SpillwayException.Internal("Spillway could not record request " + exchange.requestId()
                        + " durably, so it does not acknowledge it; retry later."))));
    }

    private void relay(int status, Reply.Body.Streamed streamed) {
        ReadStream<Buffer> source = streamed.chunks();
        response.setChunked(true);
        response.closeHandler(v -> {
            if (finish()) {
                streamed.cancel().run();
                exchange.complete(new Outcome(status, bytes, false, true));
            }
        });
        source.handler(chunk -> {
            if (bytes == 0) exchange.firstByteNanos(System.nanoTime());
            bytes += chunk.length();
            if (held == null && isDone(chunk)) held = Buffer.buffer();
            if (held != null) {
                held.appendBuffer(chunk);
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                source.pause();
                response.drainHandler(d -> source.resume());
            }
        });
        source.endHandler(v -> {
            if (!finish()) return;
            whenRecorded(exchange.completeBeforeEnd(new Outcome(status, bytes, true, false)), recorded -> {
                if (recorded == null) response.end(held == null ? Buffer.buffer() : held);
                else response.end(ErrorWriter.streamErrorEvent(recorded));
            });
        });
        source.exceptionHandler(e -> {
            if (!finish()) return;
            SpillwayException error = dev.spillway.gateway.route.BackendCall.brokenStream(exchange.backend(), e);
            response.end(ErrorWriter.streamErrorEvent(error))
                    .onComplete(ar -> exchange.complete(new Outcome(status, bytes, false, false)));
        });
        source.resume();
    }

    /**
     * Whether a chunk carries the stream's {@code data: [DONE]} frame, which SDKs take as success:
     * it and all that follows wait for the records. A chunk whose text merely contains it is held
     * too (the rest of that stream then arrives at its end), which is safe.
     */
    private static boolean isDone(Buffer chunk) {
        // The chunk's own array (BufferBytes), not getByte: that checks bounds and the reference
        // count per byte, on every chunk of every stream.
        BufferBytes bytes = BufferBytes.of(chunk);
        byte[] a = bytes.array();
        int last = bytes.offset() + bytes.length() - DONE.length;
        for (int i = bytes.offset(); i <= last; i++) {
            if (a[i] == 'd' && Arrays.equals(a, i, i + DONE.length, DONE, 0, DONE.length)) return true;
        }
        return false;
    }

    private boolean finish() {
        if (finished) return false;
        finished = true;
        return true;
    }
}
