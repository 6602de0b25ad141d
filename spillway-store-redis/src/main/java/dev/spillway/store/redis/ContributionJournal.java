package dev.spillway.store.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * What this replica has charged to each Redis counter of the windows still open: the usage it
 * settled or consumed, and its live holds. When Redis comes back empty the replica adds exactly
 * this back ({@code restore.lua}) before it charges that counter again, so the fleet's count is
 * whole again once every replica has restored its own part.
 *
 * <p>Implementation notes: entries are updated only from the replies of scripts Redis ran, so the
 * journal never holds what Redis did not apply; a command in flight when Redis died has no reply
 * and is not journaled (its effect died with Redis too). An entry is dropped once its counter's key
 * would have expired ({@code expiresAt}: window end plus the hold TTL). Thread-safe.
 */
final class ContributionJournal {
    static final int MIN_PRUNE_AT = 64;

    /** One counter's share from this replica. Guarded by its own monitor. */
    static final class Entry {
        final Instant expiresAt;
        private long used;
        private final Map<String, Hold> holds = new ConcurrentHashMap<>();
        private int pruneAt = MIN_PRUNE_AT;

        Entry(Instant expiresAt) {
            this.expiresAt = expiresAt;
        }

        synchronized void consume(long amount) {
            used += amount;
        }

        /**
         * Records a live hold. Holds whose settle never came (it failed while Redis was away) are
         * dropped once expired, checked whenever the map has doubled, so it stays bounded.
         */
        synchronized void hold(String requestId, long amount, Instant now, Instant holdExpiry) {
            holds.put(requestId, new Hold(amount, holdExpiry));
            if (holds.size() < pruneAt) return;
            holds.values().removeIf(h -> !h.expiry().isAfter(now));
            pruneAt = Math.max(MIN_PRUNE_AT, 2 * holds.size());
        }

        int holds() {
            return holds.size();
        }

        synchronized void settle(String requestId, long add) {
            holds.remove(requestId);
            used += add;
        }

        /** The settled usage and the holds still live at {@code now}, taken together. */
        synchronized Snapshot snapshot(Instant now) {
            holds.values().removeIf(h -> !h.expiry().isAfter(now));
            List<Map.Entry<String, Hold>> live = new ArrayList<>(holds.entrySet());
            return new Snapshot(used, live);
        }
    }

    record Hold(long amount, Instant expiry) {
    }

    record Snapshot(long used, List<Map.Entry<String, Hold>> holds) {
        boolean empty() {
            return used == 0 && holds.isEmpty();
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** The entry of {@code counterKey}, created when first charged. */
    Entry entry(String counterKey, Instant expiresAt) {
        return entries.computeIfAbsent(counterKey, k -> new Entry(expiresAt));
    }

    /** Whether this replica has charged {@code counterKey}, whose key Redis still keeps at {@code now}. */
    boolean contributed(String counterKey, Instant now) {
        Entry e = entries.get(counterKey);
        return e != null && e.expiresAt.isAfter(now);
    }

    /** The entry of {@code counterKey} if there is one. */
    Entry find(String counterKey) {
        return entries.get(counterKey);
    }

    /** Drops counters whose keys have expired in Redis and calls {@code each} for the rest. */
    void forEachLive(Instant now, BiConsumer<String, Entry> each) {
        entries.values().removeIf(e -> !e.expiresAt.isAfter(now));
        entries.forEach(each);
    }
}
