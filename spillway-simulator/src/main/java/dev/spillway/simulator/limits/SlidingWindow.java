package dev.spillway.simulator.limits;

import java.util.ArrayDeque;

/**
 * A rolling window of amounts (tokens or requests) kept in 100 ms slots, so memory is bounded by
 * window / 100 ms whatever the load. An amount counts until its slot is a full window old. Not
 * thread-safe: its owner synchronizes.
 */
final class SlidingWindow {
    static final long SLOT_MILLIS = 100;

    private final long windowMillis;
    private final ArrayDeque<long[]> slots = new ArrayDeque<>();
    private long total;

    SlidingWindow(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    long used(long nowMillis) {
        expire(nowMillis);
        return total;
    }

    void add(long nowMillis, long amount) {
        long slot = nowMillis - Math.floorMod(nowMillis, SLOT_MILLIS);
        long[] last = slots.peekLast();
        if (last != null && last[0] == slot) {
            last[1] += amount;
        } else {
            slots.addLast(new long[] {slot, amount});
        }
        total += amount;
    }

    /** Milliseconds until at least {@code needed} of {@code limit} is free (0 if it is now). */
    long millisUntilFree(long nowMillis, long needed, long limit) {
        expire(nowMillis);
        long excess = total + needed - limit;
        if (excess <= 0) return 0;
        long freed = 0;
        for (long[] slot : slots) {
            freed += slot[1];
            if (freed >= excess) return slot[0] + windowMillis - nowMillis;
        }
        return windowMillis;
    }

    /** Milliseconds until the oldest amount leaves the window (0 when empty). */
    long millisUntilReset(long nowMillis) {
        expire(nowMillis);
        long[] first = slots.peekFirst();
        return first == null ? 0 : first[0] + windowMillis - nowMillis;
    }

    private void expire(long nowMillis) {
        while (!slots.isEmpty() && slots.peekFirst()[0] + windowMillis <= nowMillis) {
            total -= slots.pollFirst()[1];
        }
    }
}
