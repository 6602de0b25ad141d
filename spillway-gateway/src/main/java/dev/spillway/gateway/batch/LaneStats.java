package dev.spillway.gateway.batch;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code /metrics} shows of the batch lane: the queue's depth and oldest line as of the last
 * scheduler round (so a scrape never queries the database), and the lines this gateway ended.
 * Thread-safe; one per gateway.
 */
public final class LaneStats {
    private final Clock clock;
    private volatile QueueStats queue = new QueueStats(0, java.util.Optional.empty());
    private final AtomicLong linesEnded = new AtomicLong();

    LaneStats(Clock clock) {
        this.clock = clock;
    }

    void queue(QueueStats latest) {
        queue = latest;
    }

    void lineEnded() {
        linesEnded.incrementAndGet();
    }

    public long depth() {
        return queue.depth();
    }

    /** Seconds the oldest waiting or running line has been queued; 0 when the queue is empty. */
    public double oldestAgeSeconds() {
        return queue.oldestEnqueuedAt().map(t -> Math.max(0, clock.millis() - t.toEpochMilli()) / 1000.0).orElse(0.0);
    }

    /** Lines this gateway ran to an end since start; its rate is lines per second. */
    public long linesEnded() {
        return linesEnded.get();
    }
}
