package dev.spillway.gateway.route.pool;

import dev.spillway.gateway.config.RoutingConfig;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Bounds the retries one backend receives: over a sliding window, retries may be at most
 * {@code ratio} of its requests plus {@code min-retries}, so failures elsewhere can never turn into
 * a retry storm here. The window is ten slots of counters in one atomic array.
 *
 * <p>Implementation notes: slot {@code i} holds {@code [epoch, requests, retries]} at
 * {@code 3i..3i+2}. A writer that finds a stale epoch resets the slot with a CAS; a racing
 * increment may land in the old epoch and be lost, which can only make the budget slightly more
 * generous for one slot. Lock-free and thread-safe.
 */
public final class RetryBudget {
    private static final int SLOTS = 10;
    private final double ratio;
    private final int minRetries;
    private final long slotMillis;
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS * 3);

    public RetryBudget(RoutingConfig.RetryBudget config) {
        this.ratio = config.ratio();
        this.minRetries = config.minRetries();
        this.slotMillis = Math.max(1, config.window().toMillis() / SLOTS);
    }

    /** Counts a request (a first attempt or a retry) sent to the backend at {@code nowMillis}. */
    public void recordRequest(long nowMillis) {
        slots.incrementAndGet(slot(nowMillis) + 1);
    }

    /** Takes one retry from the budget if there is room; false means the retry must not be sent. */
    public boolean tryRetry(long nowMillis) {
        long requests = 0;
        long retries = 0;
        long epoch = nowMillis / slotMillis;
        for (int i = 0; i < SLOTS; i++) {
            long e = slots.get(3 * i);
            if (e > epoch - SLOTS && e <= epoch) {
                requests += slots.get(3 * i + 1);
                retries += slots.get(3 * i + 2);
            }
        }
        if (retries >= ratio * requests + minRetries) return false;
        slots.incrementAndGet(slot(nowMillis) + 2);
        return true;
    }

    /** The index of the current slot's epoch cell, reset first if it holds an older epoch. */
    private int slot(long nowMillis) {
        long epoch = nowMillis / slotMillis;
        int base = (int) (epoch % SLOTS) * 3;
        long seen = slots.get(base);
        if (seen != epoch && slots.compareAndSet(base, seen, epoch)) {
            slots.set(base + 1, 0);
            slots.set(base + 2, 0);
        }
        return base;
    }
}
