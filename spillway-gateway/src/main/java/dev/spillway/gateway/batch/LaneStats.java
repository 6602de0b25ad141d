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
    private volatile double utilizationWithQueuedWork = Double.NaN;
    private volatile double utilizationWithout = Double.NaN;

    LaneStats(Clock clock) {
        this.clock = clock;
    }

    void queue(QueueStats latest) {
        queue = latest;
    }

    /**
     * One scheduler round's PTU utilization reading (percent), filed by whether batch lines were
     * running; each figure is a moving average (weight 0.1 per round), so the two gauges compare
     * how busy the PTU is with and without queued work over the last minute or so.
     */
    void ptuUtilization(double percent, boolean queuedWorkRunning) {
        if (queuedWorkRunning) utilizationWithQueuedWork = average(utilizationWithQueuedWork, percent);
        else utilizationWithout = average(utilizationWithout, percent);
    }

    private static double average(double old, double next) {
        return Double.isNaN(old) ? next : old + (next - old) * 0.1;
    }

    /** PTU utilization (percent) averaged over rounds with batch lines running; NaN before any. */
    public double ptuUtilizationWithQueuedWork() {
        return utilizationWithQueuedWork;
    }

    /** PTU utilization (percent) averaged over rounds without batch lines running; NaN before any. */
    public double ptuUtilizationWithoutQueuedWork() {
        return utilizationWithout;
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
