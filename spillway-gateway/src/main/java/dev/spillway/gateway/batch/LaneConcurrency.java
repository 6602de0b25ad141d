package dev.spillway.gateway.batch;

import java.time.Clock;

/**
 * How many batch lines and queued requests this gateway runs at once: sized from the PTU headroom
 * the lane sees, between {@code min-in-flight} and {@code max-in-flight} (a hard cap), and shared by
 * the Batch API's scheduler and the message lane.
 *
 * <p>Implementation notes: additive increase, multiplicative decrease, as TCP sizes its window. A
 * PTU's utilization is a leaky bucket of one minute of capacity, so its reading lags what is sent:
 * the limit therefore grows at most once per {@link #STEP_MILLIS} (and not within one of a
 * decrease), only while the lane had work waiting for a slot ({@link #limited}), the tier has room,
 * and utilization, climbing at most {@link #MAX_RISE} percent a second (the bucket's slope is what
 * is sent over capacity), would stay under {@code ceiling - }{@link #BAND} for the next
 * {@link #LOOKAHEAD_SECONDS} at that slope. It doubles until the first decrease or until the
 * bucket starts to fill (slow start: below capacity the bucket stays empty), then grows by one. It halves on a throttled lane request (429) and whenever the tier has no room under
 * the ceiling (cooling after a 429, or an interactive request waiting), and shrinks by a fifth (by
 * half when climbing {@link #MAX_RISE} a second or faster) while utilization is within
 * {@link #NEAR} points of the ceiling, or over it, and not falling (over the
 * ceiling the lane claims nothing anyway, so a draining bucket keeps the size it will need); decreases are
 * at least {@link #STEP_MILLIS} apart, so one burst of 429s halves once. Thread-safe (one lock);
 * one per gateway.
 */
final class LaneConcurrency {
    static final long STEP_MILLIS = 1_000;
    static final double BAND = 5;
    static final double NEAR = 2;
    static final double MAX_RISE = 2.0;
    static final double LOOKAHEAD_SECONDS = 10;
    private final int min;
    private final int max;
    private final double ceiling;
    private final Clock clock;
    private int limit;
    private int inUse;
    private boolean limited;
    private boolean slowStart = true;
    private long lastIncrease = Long.MIN_VALUE / 2;
    private long lastDecrease = Long.MIN_VALUE / 2;
    private long sampledAt = Long.MIN_VALUE;
    private double sampled;
    private double slope;

    LaneConcurrency(int min, int max, double ceilingPercent, Clock clock) {
        if (min < 1 || min > max) throw new IllegalArgumentException("need 1 <= min <= max, was " + min + ", " + max);
        this.min = min;
        this.max = max;
        this.ceiling = ceilingPercent;
        this.clock = clock;
        this.limit = min;
    }

    /** The lane's readings once a round: whether the PTU tier has room, and its utilization in percent. */
    synchronized void round(boolean room, double utilizationPercent) {
        long now = clock.millis();
        if (sampledAt == Long.MIN_VALUE) {
            sampledAt = now;
            sampled = utilizationPercent;
        } else if (now - sampledAt >= STEP_MILLIS) {
            slope = (utilizationPercent - sampled) * 1000.0 / (now - sampledAt);
            sampledAt = now;
            sampled = utilizationPercent;
        }
        boolean wanted = limited;
        limited = false;
        if (slope > 0) slowStart = false; // the bucket fills: the lane already sends more than capacity
        if (!room && utilizationPercent < ceiling) decrease(now, 0.5);
        else if (utilizationPercent >= ceiling - NEAR && slope >= 0) decrease(now, slope >= MAX_RISE ? 0.5 : 0.8);
        else if (wanted && slope < MAX_RISE && utilizationPercent + Math.max(0, slope) * LOOKAHEAD_SECONDS
                < ceiling - BAND) {
            increase(now);
        }
    }

    /** A lane request came back throttled (429): halve, once per burst. */
    synchronized void throttled() {
        decrease(clock.millis(), 0.5);
    }

    /** A lane stopped claiming because no slot was free while work waited. */
    synchronized void limited() {
        limited = true;
    }

    /** Slots free now (0 when the limit shrank under what runs). */
    synchronized int free() {
        return Math.max(0, limit - inUse);
    }

    synchronized void acquired(int n) {
        inUse += n;
    }

    synchronized void released() {
        inUse--;
    }

    synchronized int limit() {
        return limit;
    }

    private void increase(long now) {
        if (now - Math.max(lastIncrease, lastDecrease) < STEP_MILLIS || limit >= max) return;
        limit = Math.min(max, slowStart ? limit * 2 : limit + 1);
        lastIncrease = now;
    }

    private void decrease(long now, double factor) {
        if (now - lastDecrease < STEP_MILLIS || limit == min) return;
        slowStart = false;
        limit = Math.max(min, (int) Math.floor(limit * factor));
        lastDecrease = now;
    }
}
