package dev.spillway.gateway.cache;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;

/**
 * A replayed answer's frames as a read stream, so it flows through the same stream stages (the
 * usage watch, the answer guard, the reply writer) as a backend's. Starts paused: nothing is sent
 * before the reader resumes it, and it honours pause (the client's socket is full) like a backend
 * stream. One per reply; event-loop confined.
 */
final class ReplayStream implements ReadStream<Buffer> {
    private final List<Buffer> frames;
    private int next;
    private long demand;
    private boolean emitting;
    private boolean ended;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    ReplayStream(List<Buffer> frames) {
        this.frames = frames;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        handler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        endHandler = h;
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        demand = 0;
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
        emit();
        return this;
    }

    /** A handler that pauses or fetches re-enters here; the flag keeps one loop running. */
    private void emit() {
        if (emitting || handler == null) return;
        emitting = true;
        try {
            while (demand > 0 && next < frames.size()) {
                if (demand != Long.MAX_VALUE) demand--;
                handler.handle(frames.get(next++));
            }
            if (next == frames.size() && !ended) {
                ended = true;
                if (endHandler != null) endHandler.handle(null);
            }
        } finally {
            emitting = false;
        }
    }
}
