package dev.spillway.gateway.audit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log's memory bound, {@code max-in-flight}: body bytes not yet on disk plus a fixed
 * charge per open capture. Taking never blocks; what does not fit is refused. Thread-safe.
 */
final class InFlightBudget {
    private final AtomicLong used = new AtomicLong();
    private final long max;

    InFlightBudget(long max) {
        this.max = max;
    }

    /** Takes {@code n} if it fits under the bound; otherwise takes nothing and returns false. */
    boolean tryTake(long n) {
        if (used.addAndGet(n) <= max) return true;
        used.addAndGet(-n);
        return false;
    }

    void release(long n) {
        used.addAndGet(-n);
    }

    long used() {
        return used.get();
    }
}
