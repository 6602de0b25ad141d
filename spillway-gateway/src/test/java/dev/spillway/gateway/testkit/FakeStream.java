package dev.spillway.gateway.testkit;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A read stream a test pushes chunks into (and ends) by hand. Not thread-safe. */
public final class FakeStream implements ReadStream<Buffer> {
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;

    public void push(String chunk) {
        handler.handle(Buffer.buffer(chunk));
    }

    public void end() {
        if (endHandler != null) endHandler.handle(null);
    }

    @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
    @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
    @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { endHandler = h; return this; }
    @Override public ReadStream<Buffer> pause() { return this; }
    @Override public ReadStream<Buffer> resume() { return this; }
    @Override public ReadStream<Buffer> fetch(long amount) { return this; }
}
