package dev.spillway.gateway.route;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Relays a backend stream and fails it when no chunk arrives for the idle timeout while the stream
 * is flowing (a client that is slow to read pauses the watch, so back-pressure never looks like a
 * stalled backend). On expiry the upstream call is aborted and the stream fails with a
 * {@link TimeoutException}, which the reply writer turns into an error event. One timer at a time:
 * a firing timer that finds a recent chunk re-arms for the remainder instead of being reset per
 * chunk. One per stream; event-loop confined.
 */
final class IdleWatch implements ReadStream<Buffer> {
    private final Vertx vertx;
    private final ReadStream<Buffer> source;
    private final long idleNanos;
    private final Runnable abort;
    private final LongSupplier nanoTime;
    private Handler<Throwable> exceptionHandler;
    private long lastActivity;
    private long timer = -1;
    private boolean done;

    IdleWatch(Vertx vertx, ReadStream<Buffer> source, long idleMillis, Runnable abort, LongSupplier nanoTime) {
        this.vertx = vertx;
        this.source = source;
        this.idleNanos = idleMillis * 1_000_000L;
        this.abort = abort;
        this.nanoTime = nanoTime;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
        source.handler(h == null ? null : chunk -> {
            lastActivity = nanoTime.getAsLong();
            h.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
        source.endHandler(v -> {
            stop();
            if (h != null) h.handle(v);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
        this.exceptionHandler = h;
        source.exceptionHandler(e -> fail(e));
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        cancel();
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        arm(idleNanos);
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        arm(idleNanos);
        source.fetch(amount);
        return this;
    }

    private void arm(long delayNanos) {
        if (done) return;
        lastActivity = nanoTime.getAsLong();
        cancel();
        timer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000L), id -> check());
    }

    private void check() {
        timer = -1;
        long idle = nanoTime.getAsLong() - lastActivity;
        if (idle < idleNanos) {
            timer = vertx.setTimer(Math.max(1, (idleNanos - idle) / 1_000_000L), id -> check());
            return;
        }
        // Report the timeout first: aborting makes the source fail too, with a vaguer reset error.
        fail(new TimeoutException("the backend sent nothing for " + idleNanos / 1_000_000L + " ms (idle timeout)"));
        abort.run();
    }

    private void fail(Throwable e) {
        if (done) return;
        stop();
        if (exceptionHandler != null) exceptionHandler.handle(e);
    }

    private void stop() {
        done = true;
        cancel();
    }

    private void cancel() {
        if (timer >= 0) vertx.cancelTimer(timer);
        timer = -1;
    }
}
