package dev.spillway.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Runs one bounded load run: deploys one {@link Shard} per event loop, reports every interval and
 * completes with the final report once the duration or request bound is reached and in-flight
 * requests have drained (or the drain timeout passed). Used by {@code spillway bench}, tests and the
 * overhead harness. Stateless; each call is an independent run.
 */
public final class LoadRun {
    /** Gives shards a moment to open their clients before the schedule's time zero. */
    private static final long START_DELAY_NANOS = 20_000_000L;

    private LoadRun() {
    }

    /** Runs {@code spec}, without interval reports. */
    public static Future<LoadReport> run(Vertx vertx, LoadSpec spec) {
        return run(vertx, spec, r -> { }, System::nanoTime, RandomGeneratorFactory.getDefault().create());
    }

    /** Runs {@code spec}, handing each interval's report to {@code onInterval} (on a Vert.x thread). */
    public static Future<LoadReport> run(Vertx vertx, LoadSpec spec, Consumer<LoadReport> onInterval) {
        return run(vertx, spec, onInterval, System::nanoTime, RandomGeneratorFactory.getDefault().create());
    }

    /** Runs {@code spec} with an injected clock and seed source for the generated prompts. */
    public static Future<LoadReport> run(Vertx vertx, LoadSpec spec, Consumer<LoadReport> onInterval,
                                         LongSupplier clock, RandomGenerator seeds) {
        try {
            LoopbackGuard.check(spec);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        Metrics metrics = new Metrics();
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < spec.shards(); i++) {
            RandomGenerator random = RandomGeneratorFactory.getDefault().create(seeds.nextLong());
            shards.add(new Shard(spec, metrics, clock, i, spec.shards(), random));
        }
        List<Future<String>> deployed = shards.stream().map(vertx::deployVerticle).toList();
        return Future.all(deployed).compose(ok -> drive(vertx, spec, shards, metrics, onInterval, clock)
                .eventually(() -> undeploy(vertx, deployed)));
    }

    private static Future<LoadReport> drive(Vertx vertx, LoadSpec spec, List<Shard> shards, Metrics metrics,
                                            Consumer<LoadReport> onInterval, LongSupplier clock) {
        long start = clock.getAsLong() + START_DELAY_NANOS;
        Reporter reporter = new Reporter(spec, shards, metrics, clock, start);
        long timer = vertx.setPeriodic(START_DELAY_NANOS / 1_000_000 + spec.interval().toMillis(),
                spec.interval().toMillis(), t -> onInterval.accept(reporter.interval()));
        List<Future<Long>> done = shards.stream().map(s -> s.go(start)).toList();
        return Future.all(done).map(all -> {
            vertx.cancelTimer(timer);
            long unfinished = done.stream().mapToLong(Future::result).sum();
            LoadReport last = reporter.interval();
            if (last.windowSeconds() > spec.interval().toMillis() / 4000.0) {
                onInterval.accept(last);
            }
            return reporter.total(unfinished);
        });
    }

    private static Future<?> undeploy(Vertx vertx, List<Future<String>> deployed) {
        return Future.join(deployed.stream().map(id -> vertx.undeploy(id.result())).toList());
    }

    /** Turns metric windows into reports. Called from the reporter timer and the final step, never concurrently. */
    private static final class Reporter {
        private final LoadSpec spec;
        private final List<Shard> shards;
        private final Metrics metrics;
        private final LongSupplier clock;
        private final long start;
        private long windowStart;

        Reporter(LoadSpec spec, List<Shard> shards, Metrics metrics, LongSupplier clock, long start) {
            this.spec = spec;
            this.shards = shards;
            this.metrics = metrics;
            this.clock = clock;
            this.start = start;
            this.windowStart = start;
        }

        synchronized LoadReport interval() {
            long now = clock.getAsLong();
            double window = (now - windowStart) / 1e9;
            windowStart = now;
            return LoadReport.of(LoadReport.Kind.INTERVAL, metrics.takeWindow(), (now - start) / 1e9, window,
                    spec.rate(), shards.stream().mapToLong(Shard::inFlight).sum(),
                    shards.stream().mapToLong(Shard::backlog).sum(), metrics.outcomes(), 0);
        }

        synchronized LoadReport total(long unfinished) {
            double run = (clock.getAsLong() - start) / 1e9;
            double measured = Math.max(1e-3, run - spec.warmup().toNanos() / 1e9);
            return LoadReport.of(LoadReport.Kind.FINAL, metrics.totals(), run, measured, spec.rate(),
                    unfinished, 0, metrics.outcomes(), unfinished);
        }
    }
}
