package dev.spillway.gateway.route;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** The backend's side of a relayed stream in a benchmark: each push hands one fresh buffer over. Not thread-safe. */
public final class PushStream implements ReadStream<Buffer> {
    private Handler<Buffer> handler;
    private Handler<Void> end;

    public void push(byte[] chunk) {
        handler.handle(Buffer.buffer(chunk));
    }

    public void end() {
        end.handle(null);
    }

    @Override public ReadStream<Buffer> handler(Handler<Buffer> h) { handler = h; return this; }
    @Override public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) { return this; }
    @Override public ReadStream<Buffer> endHandler(Handler<Void> h) { end = h; return this; }
    @Override public ReadStream<Buffer> pause() { return this; }
    @Override public ReadStream<Buffer> resume() { return this; }
    @Override public ReadStream<Buffer> fetch(long amount) { return this; }
}
