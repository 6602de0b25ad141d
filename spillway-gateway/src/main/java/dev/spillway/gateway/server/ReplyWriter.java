package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * Writes a {@link Reply} to the client. Streams are relayed chunk by chunk with back-pressure
 * (the backend is paused while the client's socket is full), so memory per stream stays bounded.
 * A stream that breaks after it started ends with an explicit error event and no {@code [DONE]}
 * (DESIGN.md, non-negotiable 4); a client that goes away cancels the backend call. One per reply.
 */
final class ReplyWriter {
    private final Exchange exchange;
    private final HttpServerResponse response;
    private long bytes;
    private boolean finished;

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
        response.end(body).onComplete(ar -> exchange.complete(
                new Outcome(status, body.length(), ar.succeeded(), ar.failed())));
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
            response.write(chunk);
            if (response.writeQueueFull()) {
                source.pause();
                response.drainHandler(d -> source.resume());
            }
        });
        source.endHandler(v -> {
            if (finish()) response.end().onComplete(ar -> exchange.complete(new Outcome(status, bytes, ar.succeeded(), false)));
        });
        source.exceptionHandler(e -> {
            if (!finish()) return;
            SpillwayException error = dev.spillway.gateway.route.BackendCall.brokenStream(exchange.backend(), e);
            response.end(ErrorWriter.streamErrorEvent(error))
                    .onComplete(ar -> exchange.complete(new Outcome(status, bytes, false, false)));
        });
        source.resume();
    }

    private boolean finish() {
        if (finished) return false;
        finished = true;
        return true;
    }
}
