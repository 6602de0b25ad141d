package dev.spillway.gateway.ledger;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;

/**
 * Passes a body stream through unchanged while showing each chunk to an observer first (the
 * stream token counter, the audit capture). The observer must be quick and must not keep the
 * buffer. One per stream; event-loop confined.
 */
public final class TeeReadStream implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final Consumer<Buffer> observer;

    public TeeReadStream(ReadStream<Buffer> source, Consumer<Buffer> observer) {
        this.source = source;
        this.observer = observer;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        source.handler(h == null ? null : chunk -> {
            observer.accept(chunk);
            h.handle(chunk);
        });
        return this;
    }

    @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { source.endHandler(h); return this; }
    @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { source.exceptionHandler(h); return this; }
    @Override public ReadStream<Buffer> pause() { source.pause(); return this; }
    @Override public ReadStream<Buffer> resume() { source.resume(); return this; }
    @Override public ReadStream<Buffer> fetch(long amount) { source.fetch(amount); return this; }
}
