package dev.spillway.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import java.util.function.LongSupplier;

/**
 * One event loop's share of a load run: its own pooled keep-alive HTTP clients (one per
 * {@link Lanes lane}), its share of the clients, of the rate and of the request bound.
 *
 * <p>Implementation notes. Scheduling is open loop: request {@code k} of this shard is due at
 * {@code start + offset + k * period}, whatever happened to earlier requests; the global schedule is
 * the shards' schedules interleaved ({@code offset = index / rate}). A due request waits only for a
 * free client slot, and its latency still counts from its due time, so a slow target cannot hide
 * its queueing (no coordinated omission). With rate 0 every free slot sends at once (closed loop).
 * All fields are confined to the shard's event loop except the two gauges the reporter reads.
 */
final class Shard extends VerticleBase {
    private static final long NANOS_PER_MS = 1_000_000L;

    private final LoadSpec spec;
    private final Metrics metrics;
    private final LongSupplier clock;
    private final int clientLimit;
    private final long quota;
    private final long periodNanos;
    private final long offsetNanos;
    private final RequestFactory factory;
    private final Promise<Long> finished = Promise.promise();
    private final Lanes lanes;
    private HttpClientAgent[] clients;
    private long startNanos;
    private long warmupEndNanos;
    private long endNanos;
    private long issued;
    private long measuredIssued;
    private int inFlightCount;
    private boolean stopped;
    private long paceTimer = -1;
    private volatile long inFlightGauge;
    private volatile long backlogGauge;

    Shard(LoadSpec spec, Metrics metrics, LongSupplier clock, int index, int shards,
          java.util.random.RandomGenerator random) {
        this.spec = spec;
        this.metrics = metrics;
        this.clock = clock;
        this.clientLimit = share(spec.clients(), index, shards);
        this.quota = spec.maxRequests().isPresent() ? share(spec.maxRequests().getAsLong(), index, shards) : Long.MAX_VALUE;
        this.periodNanos = spec.rate() > 0 ? Math.round(1e9 * shards / spec.rate()) : 0;
        this.offsetNanos = spec.rate() > 0 ? Math.round(1e9 * index / spec.rate()) : 0;
        this.factory = new RequestFactory(spec, random);
        this.lanes = new Lanes(clientLimit);
    }

    private static int share(long total, int index, int shards) {
        return (int) Math.min(Integer.MAX_VALUE, total / shards + (index < total % shards ? 1 : 0));
    }

    @Override
    public Future<?> start() {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setPipelining(false).setDecompressionSupported(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis()));
        spec.caFile().ifPresent(ca -> options.setTrustOptions(new io.vertx.core.net.PemTrustOptions()
                .addCertPath(ca.toString())));
        clients = new HttpClientAgent[lanes.count()];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(lanes.capacity(i)));
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return Future.join(java.util.Arrays.stream(clients).map(HttpClientAgent::close).toList());
    }

    /** Starts issuing at {@code start}; the future completes with the requests left unfinished. */
    Future<Long> go(long start) {
        context.runOnContext(v -> {
            startNanos = start;
            warmupEndNanos = start + spec.warmup().toNanos();
            endNanos = warmupEndNanos + spec.duration().toNanos();
            long untilEnd = Math.max(1, (endNanos - clock.getAsLong()) / NANOS_PER_MS + 1);
            vertx.setTimer(untilEnd, t -> pump());
            vertx.setTimer(untilEnd + spec.timeout().toMillis(), t -> abandon());
            pump();
        });
        return finished.future();
    }

    long inFlight() {
        return inFlightGauge;
    }

    long backlog() {
        return backlogGauge;
    }

    private void pump() {
        if (stopped) {
            return;
        }
        long now = clock.getAsLong();
        if (now >= endNanos || measuredIssued >= quota) {
            stopIssuing();
            return;
        }
        if (now < startNanos) {
            vertx.setTimer(Math.max(1, (startNanos - now) / NANOS_PER_MS + 1), t -> pump());
            return;
        }
        long due = periodNanos == 0 ? Long.MAX_VALUE
                : Math.max(0, Math.floorDiv(now - startNanos - offsetNanos, periodNanos) + 1);
        while (inFlightCount < clientLimit && issued < due && measuredIssued < quota) {
            issue(periodNanos == 0 ? now : startNanos + offsetNanos + issued * periodNanos);
        }
        inFlightGauge = inFlightCount;
        backlogGauge = periodNanos == 0 ? 0 : Math.max(0, due - issued);
        if (measuredIssued >= quota) {
            stopIssuing();
        } else if (periodNanos > 0 && inFlightCount < clientLimit) {
            armPaceTimer(now);
        }
    }

    /** Starts the request due at {@code scheduled}; one scheduled during the warm-up is not measured. */
    private void issue(long scheduled) {
        boolean measured = scheduled >= warmupEndNanos;
        issued++;
        inFlightCount++;
        if (measured) {
            measuredIssued++;
            metrics.increment(Metrics.Counter.SENT);
        }
        new Call(this, lanes.acquire(), scheduled, measured).attempt();
    }

    private void armPaceTimer(long now) {
        if (paceTimer >= 0) {
            vertx.cancelTimer(paceTimer);
        }
        long next = startNanos + offsetNanos + issued * periodNanos;
        long delayMs = Math.max(1, (next - now + NANOS_PER_MS - 1) / NANOS_PER_MS);
        paceTimer = vertx.setTimer(delayMs, t -> {
            paceTimer = -1;
            pump();
        });
    }

    private void stopIssuing() {
        stopped = true;
        backlogGauge = 0;
        if (inFlightCount == 0) {
            finished.tryComplete(0L);
        }
    }

    /** The drain timeout passed: give up on whatever is still in flight. */
    private void abandon() {
        stopped = true;
        finished.tryComplete((long) inFlightCount);
    }

    /** Called once per request when it has completed, failed or been throttled for good. */
    void settled(int lane) {
        lanes.release(lane);
        inFlightCount--;
        inFlightGauge = inFlightCount;
        if (stopped) {
            if (inFlightCount == 0) {
                finished.tryComplete(0L);
            }
        } else {
            pump();
        }
    }

    LoadSpec spec() {
        return spec;
    }

    Metrics metrics() {
        return metrics;
    }

    LongSupplier clock() {
        return clock;
    }

    HttpClientAgent client(int lane) {
        return clients[lane];
    }

    RequestFactory factory() {
        return factory;
    }

    long endNanos() {
        return endNanos;
    }

    io.vertx.core.Vertx vertx() {
        return vertx;
    }
}
