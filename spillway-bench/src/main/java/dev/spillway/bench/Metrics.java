package dev.spillway.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and latency recorders shared by every shard of one run. Writers (the shards' event
 * loops) record concurrently without locks (HdrHistogram {@link Recorder}, {@link LongAdder}); one
 * reader at a time (the run's reporter) takes interval windows and keeps the cumulative totals.
 * Latencies are recorded in microseconds, utilization in hundredths of a percent. One per run.
 */
final class Metrics {
    static final double MICROS_PER_MS = 1000.0;
    static final double UTIL_UNITS_PER_PERCENT = 100.0;
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    enum Counter { SENT, COMPLETED, FAILURES, THROTTLED, RETRIES, CONTEXT_TOKENS, GENERATED_TOKENS }

    enum Distribution { E2E, E2E_SENT, TTFT, TTFT_SENT, TBT, UTIL }

    private final Map<Counter, LongAdder> counters = new java.util.EnumMap<>(Counter.class);
    private final Map<Distribution, Recorder> recorders = new java.util.EnumMap<>(Distribution.class);
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    // reader side, touched only by the reporter
    private final Map<Counter, Long> previous = new java.util.EnumMap<>(Counter.class);
    private final Map<Distribution, Histogram> totals = new java.util.EnumMap<>(Distribution.class);
    private final Map<Distribution, Histogram> recycled = new java.util.EnumMap<>(Distribution.class);

    Metrics() {
        for (Counter c : Counter.values()) {
            counters.put(c, new LongAdder());
            previous.put(c, 0L);
        }
        for (Distribution d : Distribution.values()) {
            recorders.put(d, new Recorder(HIGHEST_MICROS, 3));
            totals.put(d, new Histogram(HIGHEST_MICROS, 3));
        }
    }

    void add(Counter c, long n) {
        counters.get(c).add(n);
    }

    void increment(Counter c) {
        counters.get(c).increment();
    }

    /** Records a non-negative value; nanoseconds for latencies are converted here. */
    void recordNanos(Distribution d, long nanos) {
        recorders.get(d).recordValue(Math.min(Math.max(nanos / 1000, 0), HIGHEST_MICROS));
    }

    void recordUtilization(double percent) {
        long v = Math.round(percent * UTIL_UNITS_PER_PERCENT);
        recorders.get(Distribution.UTIL).recordValue(Math.min(Math.max(v, 0), HIGHEST_MICROS));
    }

    /** Counts one outcome by name: an HTTP status ({@code "200"}, {@code "429"}) or an error kind. */
    void outcome(String name) {
        outcomes.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    /** The counts and distributions since the previous window; adds them to the run totals. Reader only. */
    Window takeWindow() {
        Map<Counter, Long> deltas = new java.util.EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            long now = counters.get(c).sum();
            deltas.put(c, now - previous.put(c, now));
        }
        Map<Distribution, Histogram> interval = new java.util.EnumMap<>(Distribution.class);
        for (Distribution d : Distribution.values()) {
            Histogram h = recorders.get(d).getIntervalHistogram(recycled.get(d));
            totals.get(d).add(h);
            interval.put(d, h);
            recycled.put(d, h);
        }
        return new Window(deltas, interval);
    }

    /** Cumulative totals over every window taken so far. Reader only. */
    Window totals() {
        Map<Counter, Long> sums = new java.util.EnumMap<>(previous);
        return new Window(sums, totals);
    }

    Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** Counts and histograms of one window; valid until the next {@link #takeWindow()}. */
    record Window(Map<Counter, Long> counts, Map<Distribution, Histogram> histograms) {
        long count(Counter c) {
            return counts.get(c);
        }

        Histogram histogram(Distribution d) {
            return histograms.get(d);
        }
    }
}
