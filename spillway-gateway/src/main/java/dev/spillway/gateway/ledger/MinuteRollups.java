package dev.spillway.gateway.ledger;

import dev.spillway.gateway.route.pool.BackendStates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's time series, aggregated in memory and written once a minute: each finished request
 * adds to its minute's counters (a map lookup and a few {@link LongAdder} adds on the event loop,
 * no I/O), backends are sampled every few seconds, and {@link #flush} moves every completed minute
 * to the {@link RollupStore} in one transaction. A ledger decorator: records pass on unchanged.
 *
 * <p>Implementation notes: requests count in the minute they finish by the injected clock, so
 * writers only ever touch the current minute, and a flush takes minutes before it; a writer
 * delayed across a minute boundary by longer than the flush's few seconds of grace could lose its
 * add, which the charts tolerate (the ledger stays exact). Reads take the read lock and flushes the
 * write lock, so a reader sees each minute once, stored or pending, never both or neither. A failed
 * flush keeps its minutes for the next one, up to {@link #MAX_PENDING_ROWS}. Thread-safe; one per gateway.
 */
public final class MinuteRollups implements UsageLedger {
    private static final Logger LOG = LoggerFactory.getLogger(MinuteRollups.class);
    static final long MINUTE = 60_000;
    private static final int MAX_PENDING_ROWS = 200_000;

    private record UsageKey(long minuteMs, String app, String keyPrefix, String deployment, String backend) {
    }

    private static final class UsageCounts {
        final LongAdder requests = new LongAdder();
        final LongAdder prompt = new LongAdder();
        final LongAdder completion = new LongAdder();
        final LongAdder cost = new LongAdder();
        final LongAdder rejected = new LongAdder();
    }

    private record BackendKey(long minuteMs, String backend) {
    }

    private static final class BackendCounts {
        final LongAdder sent = new LongAdder();
        final LongAdder throttled = new LongAdder();
        final DoubleAdder utilization = new DoubleAdder();
        final LongAdder samples = new LongAdder();
    }

    private final UsageLedger next;
    private final RollupStore store;
    private final Clock clock;
    private final Duration retention;
    private final ConcurrentHashMap<UsageKey, UsageCounts> usage = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<BackendKey, BackendCounts> backends = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastCounters = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    public MinuteRollups(UsageLedger next, RollupStore store, Clock clock, Duration retention) {
        this.next = next;
        this.store = store;
        this.clock = clock;
        this.retention = retention;
    }

    public RollupStore store() {
        return store;
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> append(UsageRecord r) {
        long minute = Math.floorDiv(clock.millis(), MINUTE) * MINUTE;
        UsageCounts c = usage.computeIfAbsent(new UsageKey(minute, r.app(), r.keyPrefix(), r.deployment(), r.backend()),
                k -> new UsageCounts());
        c.requests.increment();
        c.prompt.add(r.promptTokens());
        c.completion.add(r.completionTokens());
        c.cost.add(r.costNanos());
        if (r.status() == 429 && r.backend().isEmpty()) c.rejected.increment();
        return next.append(r);
    }

    /** Adds one reading of every backend: counters as deltas since the last reading, utilization as a sample. */
    public synchronized void sample(List<BackendStates.BackendSnapshot> snapshot) {
        long minute = Math.floorDiv(clock.millis(), MINUTE) * MINUTE;
        for (BackendStates.BackendSnapshot s : snapshot) {
            long[] last = lastCounters.computeIfAbsent(s.name(), n -> new long[2]); // counters start at 0 with the process
            BackendCounts c = backends.computeIfAbsent(new BackendKey(minute, s.name()), k -> new BackendCounts());
            c.sent.add(s.sent() - last[0]);
            c.throttled.add(s.throttled() - last[1]);
            last[0] = s.sent();
            last[1] = s.throttled();
            if (s.utilizationPercent().isPresent()) {
                c.utilization.add(s.utilizationPercent().getAsDouble());
                c.samples.increment();
            }
        }
    }

    /** Writes every minute before the current one to the store; on failure keeps them for the next flush. */
    public void flush() {
        flushBefore(Math.floorDiv(clock.millis(), MINUTE) * MINUTE);
    }

    /** Writes every pending minute, the current one too (at shutdown). */
    public void flushAll() {
        flushBefore(Long.MAX_VALUE);
    }

    private void flushBefore(long current) {
        lock.writeLock().lock();
        try {
            List<RollupStore.UsageMinute> u = take(usage, k -> k.minuteMs() < current, MinuteRollups::row);
            List<RollupStore.BackendMinute> b = take(backends, k -> k.minuteMs() < current, MinuteRollups::row);
            if (u.isEmpty() && b.isEmpty()) return;
            try {
                store.add(u, b);
            } catch (Exception e) {
                LOG.warn("writing {} rollup rows failed, kept for the next minute: {}", u.size() + b.size(), e.toString());
                if (usage.size() + backends.size() < MAX_PENDING_ROWS) putBack(u, b);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes minutes older than the retention from the store. */
    public int expire() throws Exception {
        return store.expire(Instant.ofEpochMilli(clock.millis()).minus(retention));
    }

    /** What a reader sees: the stored rows read by {@code stored} plus the pending ones, consistently. */
    public <T> T read(StoredRead<T> stored) throws Exception {
        lock.readLock().lock();
        try {
            List<RollupStore.UsageMinute> u = new ArrayList<>();
            usage.forEach((k, c) -> u.add(row(k, c)));
            List<RollupStore.BackendMinute> b = new ArrayList<>();
            backends.forEach((k, c) -> b.add(row(k, c)));
            return stored.read(store, u, b);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Reads the store and combines its rows with the pending ones. */
    @FunctionalInterface
    public interface StoredRead<T> {
        T read(RollupStore store, List<RollupStore.UsageMinute> pendingUsage,
                List<RollupStore.BackendMinute> pendingBackends) throws Exception;
    }

    private static <K, V, R> List<R> take(ConcurrentHashMap<K, V> map, java.util.function.Predicate<K> due,
            java.util.function.BiFunction<K, V, R> row) {
        List<R> out = new ArrayList<>();
        for (K k : List.copyOf(map.keySet())) {
            if (!due.test(k)) continue;
            V v = map.remove(k);
            if (v != null) out.add(row.apply(k, v));
        }
        return out;
    }

    private void putBack(List<RollupStore.UsageMinute> u, List<RollupStore.BackendMinute> b) {
        for (RollupStore.UsageMinute m : u) {
            UsageCounts c = usage.computeIfAbsent(new UsageKey(m.minuteMs(), m.app(), m.keyPrefix(), m.deployment(),
                    m.backend()), k -> new UsageCounts());
            c.requests.add(m.requests());
            c.prompt.add(m.promptTokens());
            c.completion.add(m.completionTokens());
            c.cost.add(m.costNanos());
            c.rejected.add(m.rejected());
        }
        for (RollupStore.BackendMinute m : b) {
            BackendCounts c = backends.computeIfAbsent(new BackendKey(m.minuteMs(), m.backend()), k -> new BackendCounts());
            c.sent.add(m.sent());
            c.throttled.add(m.throttled());
            c.utilization.add(m.utilizationSum());
            c.samples.add(m.utilizationSamples());
        }
    }

    private static RollupStore.UsageMinute row(UsageKey k, UsageCounts c) {
        return new RollupStore.UsageMinute(k.minuteMs(), k.app(), k.keyPrefix(), k.deployment(), k.backend(),
                c.requests.sum(), c.prompt.sum(), c.completion.sum(), c.cost.sum(), c.rejected.sum());
    }

    private static RollupStore.BackendMinute row(BackendKey k, BackendCounts c) {
        return new RollupStore.BackendMinute(k.minuteMs(), k.backend(), c.sent.sum(), c.throttled.sum(),
                c.utilization.sum(), c.samples.sum());
    }
}
