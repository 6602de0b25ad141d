package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.limit.InFlightBudget;
import dev.spillway.core.wire.BodyBuffers;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Reads one authenticated request's body into memory within its limits: {@code max-body-size}
 * (413, from {@code Content-Length} or while it streams in), {@code body-timeout} and
 * {@code min-body-rate} (408), and the gateway-wide {@code max-in-flight-bytes} (503 with
 * {@code retry-after}), which every buffered body is charged to until its exchange completes.
 * One per request; runs on the request's event loop.
 */
final class BodyReader {
    /** How often, after the grace period, a body's average rate is checked. */
    private static final long RATE_CHECK_MILLIS = 1000;

    /** The limits a body is read under; {@code minRate} is in bytes per second. */
    record Limits(long maxSize, Duration timeout, long minRate, Duration rateGrace, InFlightBudget budget) {
    }

    interface Refusal {
        void refuse(HttpServerRequest request, SpillwayException e);
    }

    private final Vertx vertx;
    private final Limits limits;
    private final HttpServerRequest request;
    private final Refusal refusal;
    private Buffer body = Buffer.buffer();
    private final long started = System.nanoTime();
    private long charged;
    private long timer = -1;
    private boolean done;

    BodyReader(Vertx vertx, Limits limits, HttpServerRequest request, Refusal refusal) {
        this.vertx = vertx;
        this.limits = limits;
        this.request = request;
        this.refusal = refusal;
    }

    /** Reads the body; {@code onBody} gets it with the budget charge to give back via {@link #release}. */
    void read(Handler<Buffer> onBody) {
        long declared = BodyBuffers.declaredLength(request.getHeader("content-length"));
        if (declared > limits.maxSize()) {
            fail(new SpillwayException.PayloadTooLarge(limits.maxSize()));
            return;
        }
        if (declared > 0 && !charge(declared)) return;
        body = BodyBuffers.sizedFor(declared);
        long timeout = limits.timeout().toMillis();
        checkIn(limits.minRate() > 0 ? Math.min(limits.rateGrace().toMillis(), timeout) : timeout);
        request.handler(this::chunk);
        request.exceptionHandler(e -> finish(true));
        request.endHandler(v -> {
            if (!finish(false)) onBody.handle(body);
        });
        request.resume();
    }

    private void chunk(Buffer chunk) {
        if (done) return;
        long size = body.length() + (long) chunk.length();
        if (size > limits.maxSize()) {
            fail(new SpillwayException.PayloadTooLarge(limits.maxSize()));
        } else if (size <= charged || charge(size - charged)) {
            body.appendBuffer(chunk);
        }
    }

    /** Takes {@code n} more bytes from the gateway-wide budget, or refuses the request with 503. */
    private boolean charge(long n) {
        if (limits.budget().tryTake(n)) {
            charged += n;
            return true;
        }
        fail(new SpillwayException.Overloaded("The gateway is holding its maximum of request bodies in "
                + "memory (max-in-flight-bytes); retry in a moment.", Duration.ofSeconds(1)));
        return false;
    }

    /**
     * One timer per body at a time, for both the deadline and the minimum rate: the body of almost
     * every request is whole before it fires, so one is scheduled and cancelled instead of two.
     */
    private void checkIn(long millis) {
        timer = vertx.setTimer(Math.max(1, millis), t -> check());
    }

    private void check() {
        if (done) return;
        long elapsedNanos = System.nanoTime() - started;
        long left = limits.timeout().toMillis() - elapsedNanos / 1_000_000;
        if (left <= 0) {
            fail(new SpillwayException.RequestTimeout(
                    "The request body did not arrive within " + limits.timeout().toSeconds() + " s."));
        } else if (limits.minRate() > 0 && elapsedNanos >= limits.rateGrace().toNanos()
                && body.length() < limits.minRate() * (elapsedNanos / 1e9)) {
            fail(new SpillwayException.RequestTimeout("The request body arrived slower than the minimum of "
                    + limits.minRate() + " bytes/s."));
        } else {
            checkIn(limits.minRate() > 0 ? Math.min(RATE_CHECK_MILLIS, left) : left);
        }
    }

    private void fail(SpillwayException e) {
        if (finish(true)) return;
        refusal.refuse(request, e);
    }

    /** Stops the timers once; on failure also gives the budget back. True if already finished. */
    private boolean finish(boolean failed) {
        if (done) return true;
        done = true;
        if (timer >= 0) vertx.cancelTimer(timer);
        if (failed) release();
        return false;
    }

    /** Gives this body's charge back to the budget; called once its exchange completed. */
    void release() {
        limits.budget().release(charged);
        charged = 0;
    }
}
