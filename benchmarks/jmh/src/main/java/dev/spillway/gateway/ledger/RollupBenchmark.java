package dev.spillway.gateway.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the console's per-minute rollups add to each finished request (issue 16 item 2): one
 * {@link MinuteRollups#append} in front of a ledger that does nothing, over 8 apps' keys, from
 * two threads (two event loops) adding to the same minute's counters. No I/O: the minute is
 * written by the flush, once a minute, off the event loop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class RollupBenchmark {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private final MinuteRollups rollups = new MinuteRollups(r -> DONE, new NoStore(), Clock.systemUTC(),
            Duration.ofDays(35));
    private final UsageRecord[] records = new UsageRecord[8];
    private int next;

    public RollupBenchmark() {
        for (int i = 0; i < records.length; i++) {
            records[i] = new UsageRecord("r" + i, Instant.now(), "app-" + i, "team", "user", "sk-spw-k" + i, "gpt-4o",
                    i % 2 == 0 ? "ptu" : "payg", "eastus", "gpt-4o", 800, 120, 0, 0, false, 4200, Optional.empty(),
                    Duration.ofMillis(40), 200, 1, false, false, "");
        }
    }

    @Benchmark
    public Object append() {
        return rollups.append(records[next++ & 7]);
    }

    /** The benchmark never flushes, so the store is never asked. */
    private static final class NoStore implements RollupStore {
        @Override public void add(List<UsageMinute> usage, List<BackendMinute> backends) { }
        @Override public List<UsageMinute> usage(Instant from, Instant to, long step) { return List.of(); }
        @Override public List<BackendMinute> backends(Instant from, Instant to, long step) { return List.of(); }
        @Override public List<UsageMinute> byKey(Instant from, Instant to) { return List.of(); }
        @Override public int expire(Instant cutoff) { return 0; }
    }
}
