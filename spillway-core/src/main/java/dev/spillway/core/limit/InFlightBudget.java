package dev.spillway.core.limit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A memory bound shared by many requests: bytes held in memory (request bodies waiting for the
 * pipeline, audit bodies not yet on disk) count against one maximum. Taking never blocks; what does
 * not fit is refused, and the caller answers that refusal (503, a skipped capture). Thread-safe.
 */
public final class InFlightBudget {
    private final AtomicLong used = new AtomicLong();
    private final long max;

    public InFlightBudget(long max) {
        if (max < 0) throw new IllegalArgumentException("max must be >= 0, was " + max);
        this.max = max;
    }

    /** Takes {@code n} if it fits under the bound; otherwise takes nothing and returns false. */
    public boolean tryTake(long n) {
        if (used.addAndGet(n) <= max) return true;
        used.addAndGet(-n);
        return false;
    }

    public void release(long n) {
        used.addAndGet(-n);
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return max;
    }
}
