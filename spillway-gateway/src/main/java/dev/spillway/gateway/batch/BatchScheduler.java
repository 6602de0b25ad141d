package dev.spillway.gateway.batch;

import dev.spillway.gateway.batch.LineRunner.Result;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches through their statuses and feeds their lines to the pipeline. Each {@link #tick}
 * first advances every unfinished batch ({@link BatchProgress}), then claims lines for the
 * deployments with headroom: apps in turn, longest waiting first, each up to its concurrency cap
 * and a fair share of this gateway's free slots ({@link LaneConcurrency}, shared with the message lane), so one app's 50,000 lines do not starve another's
 * ten. A claimed line runs on the event loop and ends or goes back under its lease.
 *
 * <p>Implementation notes: the database calls run on worker threads; the in-flight counters are
 * this gateway's only (each replica caps itself; the queue's leases keep replicas off each other's
 * lines). Ticks may overlap (a slow line outlives the poll interval); the advance step is skipped
 * while another is running, and the counters bound the claims. Thread-safe; one per gateway.
 */
public final class BatchScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);
    private final BatchConfig config;
    private final BatchStorage storage;
    private final BatchProgress progress;
    private final LineRunner runner;
    private final Headroom headroom;
    private final Set<String> deployments;
    private final Vertx vertx;
    private final Context context;
    private final Clock clock;
    private final AtomicBoolean advancing = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByApp = new ConcurrentHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private final LaneStats stats;
    private final LaneConcurrency slots;

    BatchScheduler(BatchConfig config, BatchStorage storage, BatchProgress progress, LineRunner runner,
            Headroom headroom, Set<String> deployments, Vertx vertx, Clock clock, LaneStats stats,
            LaneConcurrency slots) {
        this.slots = slots;
        this.deployments = Set.copyOf(deployments);
        this.config = config;
        this.storage = storage;
        this.progress = progress;
        this.runner = runner;
        this.headroom = headroom;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.clock = clock;
        this.stats = stats;
    }

    /** One round: advance batches, claim and run lines; completes when this round's lines have ended or gone back. */
    public Future<Void> tick() {
        Future<Map<String, BatchRecord>> running = advancing.compareAndSet(false, true)
                ? vertx.executeBlocking(progress::advanceAll, false).andThen(ar -> advancing.set(false))
                : vertx.executeBlocking(progress::running, false);
        return running.compose(batches -> vertx.executeBlocking(() -> claim(batches), false)
                .compose(leases -> Future.join(runAll(batches, leases)).<Void>mapEmpty()))
                .onFailure(e -> {
                    // A round that was due while Vert.x shut down finds its worker pool gone: not a fault.
                    if (!(e instanceof java.util.concurrent.RejectedExecutionException)) {
                        LOG.warn("batch scheduler round failed: {}", e.toString());
                    }
                });
    }

    /** Lines running in this gateway now. */
    public int inFlight() {
        return inFlight.get();
    }

    private List<Lease> claim(Map<String, BatchRecord> batches) throws Exception {
        Instant now = clock.instant();
        Set<String> room = headroom.deploymentsWithRoom(now.toEpochMilli());
        stats.ptuUtilization(headroom.ptuUtilizationPercent(now.toEpochMilli()), inFlight.get() > 0);
        List<String> apps = storage.queue().readyApps(deployments, now);
        List<Lease> leases = new ArrayList<>();
        if (apps.isEmpty()) return leases;
        int start = Math.floorMod(turn.getAndIncrement(), apps.size());
        for (int k = 0; k < apps.size(); k++) {
            String app = apps.get((start + k) % apps.size());
            int free = slots.free();
            if (free <= 0) {
                slots.limited();
                break;
            }
            int share = Math.max(1, free / (apps.size() - k));
            AtomicInteger mine = inFlightByApp.computeIfAbsent(app, a -> new AtomicInteger());
            int want = Math.min(share, config.concurrencyOf(app) - mine.get());
            if (want <= 0) continue;
            Set<String> open = spills(app, batches) ? deployments : room;
            List<Lease> got = storage.queue().claim(app, open, want, now, config.lease());
            slots.acquired(got.size());
            if (got.size() == want && want == share) slots.limited();
            mine.addAndGet(got.size());
            inFlight.addAndGet(got.size());
            leases.addAll(got);
        }
        return leases;
    }

    /** Whether an app's queued work may go to pay-as-you-go now, so it need not wait for PTU headroom. */
    private boolean spills(String app, Map<String, BatchRecord> batches) {
        for (BatchRecord b : batches.values()) if (b.owner().app().equals(app) && runner.mayUsePayAsYouGo(b)) return true;
        return false;
    }

    private List<Future<Void>> runAll(Map<String, BatchRecord> batches, List<Lease> leases) {
        List<Future<Void>> all = new ArrayList<>(leases.size());
        for (Lease lease : leases) all.add(runOne(batches.get(lease.batchId()), lease).andThen(ar -> {
            inFlight.decrementAndGet();
            slots.released();
            inFlightByApp.get(lease.app()).decrementAndGet();
            if (ar.failed()) LOG.warn("batch line {}#{} failed to run: {}", lease.batchId(), lease.lineNo(), ar.cause().toString());
        }));
        return all;
    }

    private Future<Void> runOne(BatchRecord batch, Lease lease) {
        if (batch == null || batch.status() != BatchStatus.IN_PROGRESS) {
            // Cancelled or expired since the claim: hand it back at once; the next round ends it.
            return vertx.executeBlocking(() -> storage.queue().release(lease, clock.instant()), false).mapEmpty();
        }
        return Future.<Result>future(p -> context.runOnContext(v -> runner.run(batch, lease).onComplete(p)))
                .compose(result -> vertx.executeBlocking(() -> settle(lease, result), false));
    }

    private Void settle(Lease lease, Result result) throws Exception {
        Instant now = clock.instant();
        boolean held = switch (result) {
            case Result.Done done -> storage.queue().finish(lease, done.state(), done.output(), now);
            case Result.Retry retry -> {
                if (retry.throttled()) slots.throttled();
                yield storage.queue().release(lease, now.plus(retry.after()));
            }
        };
        if (!held) LOG.info("lease of batch line {}#{} was lost; its answer is dropped", lease.batchId(), lease.lineNo());
        if (held && result instanceof Result.Done) stats.lineEnded();
        return null;
    }
}
