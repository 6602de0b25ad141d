package dev.spillway.gateway.route;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A stream that rewrites what its source relays: each chunk goes to {@link #onChunk} and the end
 * to {@link #onEnd}, which pass on what they decide with {@link #relay} and {@link #end}; errors
 * and flow control (pause, resume, fetch) go straight to the source.
 */
public abstract class RelayStream implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    protected RelayStream(ReadStream<Buffer> source) {
        this.source = source;
    }

    /** A chunk from the source. */
    protected abstract void onChunk(Buffer chunk);

    /** The source ended; call {@link #end} once what is held back has been relayed. */
    protected abstract void onEnd();

    /** Whether anyone reads this stream yet. */
    protected final boolean hasReader() {
        return handler != null;
    }

    /** Passes {@code data} to the reader, if there is one. */
    protected final void relay(Buffer data) {
        if (handler != null) handler.handle(data);
    }

    /** Ends this stream for its reader. */
    protected final void end() {
        if (endHandler != null) endHandler.handle(null);
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        this.handler = h;
        source.handler(h == null ? null : this::onChunk);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        this.endHandler = h;
        source.endHandler(h == null ? null : v -> onEnd());
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        source.exceptionHandler(h);
        return this;
    }

    @Override public ReadStream<Buffer> pause() { source.pause(); return this; }
    @Override public ReadStream<Buffer> resume() { source.resume(); return this; }
    @Override public ReadStream<Buffer> fetch(long amount) { source.fetch(amount); return this; }
}
