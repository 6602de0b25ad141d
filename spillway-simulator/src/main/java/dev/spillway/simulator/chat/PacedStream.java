package dev.spillway.simulator.chat;

import dev.spillway.simulator.FaultKind;
import dev.spillway.simulator.http.SimExchange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Writes an SSE stream one frame at a time after the time to first token: each paced frame waits
 * the per-token latency, and writing waits for the socket's write queue, so memory stays bounded.
 * Applies the stall and mid-stream disconnect faults. Subclasses say which frame comes next (chat
 * chunks, Responses API events). One per stream, confined to its event loop.
 */
abstract class PacedStream {
    /** The mid-stream disconnect fault cuts after this many frames (e.g. filter, role, two content). */
    private static final int FRAMES_BEFORE_DISCONNECT = 4;

    /** One frame; {@code paced} frames (generated tokens) wait the per-token latency first. */
    record Step(Buffer frame, boolean paced) {
    }

    protected final SimExchange ex;
    private final Duration perToken;
    private final boolean cutMidStream;
    private int written;
    private Future<Void> lastWrite = Future.succeededFuture();

    PacedStream(SimExchange ex) {
        this.ex = ex;
        this.perToken = ex.latency().perToken();
        this.cutMidStream = ex.pendingFault().equals(Optional.of(FaultKind.DISCONNECT_MID_STREAM));
    }

    /** The next frame, or null after the last one. */
    protected abstract Step next();

    final void start() {
        ex.after(ex.latency().timeToFirstToken(), this::open);
    }

    private void open() {
        HttpServerResponse r = ex.response();
        r.putHeader("cache-control", "no-cache").putHeader("x-accel-buffering", "no");
        if (ex.pendingFault().equals(Optional.of(FaultKind.STALL))) {
            ex.stall("text/event-stream; charset=utf-8");
            return;
        }
        r.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        pump();
    }

    private void pump() {
        HttpServerResponse r = ex.response();
        while (!ex.isClosed()) {
            if (r.writeQueueFull()) {
                r.drainHandler(v -> pump());
                return;
            }
            if (cutMidStream && written == FRAMES_BEFORE_DISCONNECT) {
                lastWrite.onComplete(v -> ex.disconnect()); // once the frames are on the wire
                return;
            }
            Step step = next();
            if (step == null) {
                r.end();
                return;
            }
            if (step.paced() && !perToken.isZero()) {
                ex.after(perToken, () -> {
                    write(step.frame());
                    pump();
                });
                return;
            }
            write(step.frame());
        }
    }

    private void write(Buffer frame) {
        lastWrite = ex.response().write(frame);
        written++;
    }
}
