package dev.spillway.gateway.route.share;

import dev.spillway.gateway.access.StoreConfig;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares what this replica learns about backends with the other replicas over a {@link FleetChannel}
 * and applies what they learned: 429 cooldowns, breaker openings, probe results and quota readings.
 * Also hands out the probe lease, so one replica at a time probes each backend.
 *
 * <p>Implementation notes: messages carry their origin (ignored when it is this replica, since
 * pub/sub echoes) and the time they were seen, so an older reading never replaces a newer one
 * (BackendState compares). Cooldown ends are absolute times, so replicas' clocks must agree (NTP);
 * a remote end is capped at now + {@code max-cooldown} so a skewed clock cannot cool a backend for
 * long. The replica that received a 429 (the origin) tests the backend when its cooldown ends:
 * one request at a time until {@link #TRIAL_SUCCESSES} pass in a row ({@link
 * BackendState#startTrial}), then it publishes {@code RESUMED}. The others hold the backend for up
 * to {@link #HOLD_MS} past the origin's end, until they hear it passed (or failed: a 429 in the
 * trial is a new cooldown), instead of the whole fleet meeting the backend at the same millisecond
 * (a PTU whose bucket has room for one request answers the rest with 429s). A replica whose own
 * cooldown ends at or after the one it hears of is an origin itself and does not hold; the latest
 * end holds the rest, so two origins never wait for each other. Quota
 * readings are published at most every {@link #QUOTA_EVERY_MS} per backend: they come
 * with every response, and the newest one within a few milliseconds says as much. When the channel
 * fails (a publish, a lease, or the subscription), the replica works alone: it logs once, counts
 * the loss, probes every backend itself, and rejoins once the subscription is back and a command
 * round trip works (checked every {@link #CHECK_EVERY}). Thread-safe: messages arrive on the channel's thread, learning happens on
 * event loops; all state is atomic. One per gateway.
 */
public final class BackendSharing {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSharing.class);
    static final long QUOTA_EVERY_MS = 10;
    static final int TRIAL_SUCCESSES = 2;
    static final long HOLD_MS = 1_000;
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    static final long IN_FLIGHT_EVERY_MS = 5;

    private final Vertx vertx;
    private final FleetChannel channel;
    private final BackendStates states;
    private final Clock clock;
    private final String replica = UUID.randomUUID().toString().substring(0, 12);
    private final long maxCooldownMillis;
    private final Map<String, AtomicLong> quotaPublishedAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> probeSeenAt = new ConcurrentHashMap<>();
    /** Per backend: the end of this replica's last first-hand cooldown. */
    private final Map<String, AtomicLong> ownUntil = new ConcurrentHashMap<>();
    /** Per backend: the hold applied for another replica's trial, {@code {hold, its cooldown end}}. */
    private final Map<String, AtomicReference<long[]>> held = new ConcurrentHashMap<>();
    /** Per backend: whether an in-flight count is due to be published (coalesced over {@link #IN_FLIGHT_EVERY_MS}). */
    private final Map<String, AtomicBoolean> inFlightDue = new ConcurrentHashMap<>();
    /** Per backend, per other replica: its requests in flight there and when it said so, {@code {count, at}}. */
    private final Map<String, Map<String, long[]>> inFlightOf = new ConcurrentHashMap<>();
    private final AtomicBoolean alone = new AtomicBoolean();
    private final AtomicLong losses = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong probesSent = new AtomicLong();
    private final long timer;

    BackendSharing(Vertx vertx, FleetChannel channel, BackendStates states, Duration maxCooldown, Clock clock) {
        this.vertx = vertx;
        this.channel = channel;
        this.states = states;
        this.clock = clock;
        this.maxCooldownMillis = maxCooldown.toMillis();
        follow();
        channel.listen(this::received);
        this.timer = vertx.setPeriodic(CHECK_EVERY.toMillis(), id -> check());
    }

    /**
     * Sharing over the store the config names when it is shared and {@code share-learning} is on;
     * empty (every replica learns alone) with the memory store.
     */
    public static Optional<BackendSharing> open(Vertx vertx, GatewayConfig config, BackendStates states, Clock clock) {
        StoreConfig store = config.access().store();
        if (!store.shareLearning()) return Optional.empty();
        return FleetChannelProvider.forStore(store).map(channel -> new BackendSharing(vertx, channel, states,
                config.routing().spillover().maxCooldown(), clock));
    }

    /**
     * Publishes what is learned about the backends now in {@code states} (after a config reload
     * reconciled them) and applies what others learn about them; a removed backend is ignored.
     */
    public void follow() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (BackendState s : states.all()) {
            names.add(s.name());
            quotaPublishedAt.computeIfAbsent(s.name(), n -> new AtomicLong());
            probeSeenAt.computeIfAbsent(s.name(), n -> new AtomicLong(Long.MIN_VALUE));
            ownUntil.computeIfAbsent(s.name(), n -> new AtomicLong());
            held.computeIfAbsent(s.name(), n -> new AtomicReference<>(new long[] {0, 0}));
            s.listener(new Publisher());
        }
        probeSeenAt.keySet().retainAll(names);
        quotaPublishedAt.keySet().retainAll(names);
        ownUntil.keySet().retainAll(names);
        held.keySet().retainAll(names);
        inFlightDue.keySet().retainAll(names);
        inFlightOf.keySet().retainAll(names);
    }

    /** This replica's id in the messages it publishes. */
    public String replica() { return replica; }

    /** Whether messages from the other replicas reach this one now (subscribed, not alone). */
    public boolean listening() { return !alone.get() && channel.listening(); }

    /** Whether this replica is working alone because the channel is away. */
    public boolean alone() { return alone.get(); }

    /** How many times the channel was lost since start. */
    public long losses() { return losses.get(); }

    /** Learnings from other replicas applied here since start. */
    public long applied() { return applied.get(); }

    /** Learnings this replica published since start. */
    public long published() { return published.get(); }

    /** Probes this replica sent, all backends together. */
    public long probesSent() { return probesSent.get(); }

    /**
     * Whether this replica should probe {@code backend} now: it holds (or just took) the backend's
     * lease, which lasts three probe intervals, or it works alone.
     */
    public Future<Boolean> mayProbe(BackendState backend) {
        if (alone.get()) return Future.succeededFuture(true);
        Duration ttl = backend.config().probe().interval().multipliedBy(3);
        CompletionStage<Boolean> held = channel.lease("probe:" + backend.name(), replica, ttl);
        return Future.fromCompletionStage(held, vertx.getOrCreateContext()).recover(e -> {
            goAlone(e);
            return Future.succeededFuture(true);
        });
    }

    /** This replica probed {@code backend}: apply the result here and tell the others. */
    public void probed(BackendState backend, boolean healthy) {
        probesSent.incrementAndGet();
        long now = clock.millis();
        AtomicLong seen = probeSeenAt.get(backend.name()); // absent: removed by a reload since
        if (seen != null) seen.accumulateAndGet(now, Math::max);
        backend.probed(healthy);
        publish(Learned.probe(replica, backend.name(), now, healthy));
    }

    /** Exposes the sharing counters on the gateway's metrics. */
    public void bind(GatewayMetrics metrics) {
        metrics.bind("spillway.sharing.alone", "1 while this replica learns alone because Redis is away",
                this, s -> s.alone() ? 1 : 0);
        metrics.bind("spillway.sharing.losses", "Times this replica lost the shared channel (Redis) since start",
                this, BackendSharing::losses);
        metrics.bind("spillway.sharing.published", "Learnings this replica published", this,
                BackendSharing::published);
        metrics.bind("spillway.sharing.applied", "Learnings from other replicas applied here", this,
                BackendSharing::applied);
        metrics.bind("spillway.probes.sent", "Health probes this replica sent", this, BackendSharing::probesSent);
    }

    public Future<Void> close() {
        vertx.cancelTimer(timer);
        states.all().forEach(s -> s.listener(BackendState.Listener.NONE));
        return vertx.executeBlocking(() -> {
            channel.close();
            return null;
        });
    }

    void received(String line) {
        Optional<Learned> decoded = Learned.decode(line);
        if (decoded.isEmpty()) return;
        Learned m = decoded.get();
        // Pub/sub echoes this replica's own messages; another replica's config may name other backends.
        if (m.origin().equals(replica) || !probeSeenAt.containsKey(m.backend())) return;
        BackendState s;
        try {
            s = states.get(m.backend());
        } catch (IllegalArgumentException removedByReload) {
            return;
        }
        apply(s, m);
        applied.incrementAndGet();
    }

    private void apply(BackendState s, Learned m) {
        switch (m.kind()) {
            case COOLDOWN -> cooledElsewhere(s, m.a());
            case RESUMED -> {
                long[] h = held(s.name()).get();
                s.releaseHold(h[0], h[1]);
            }
            case BREAKER_OPEN -> s.breakerOpenedElsewhere(m.at());
            case PROBE -> {
                AtomicLong seen = probeSeenAt.computeIfAbsent(s.name(), n -> new AtomicLong(Long.MIN_VALUE));
                long before = seen.getAndAccumulate(m.at(), Math::max);
                if (m.at() > before) s.probed(m.a() == 1);
            }
            case QUOTA -> s.quotaReadElsewhere(m.a(), m.b(), m.c(), m.d(), m.at());
            case IN_FLIGHT -> inFlightElsewhere(s, m);
        }
    }

    /** Another replica's in-flight count: sums every replica's count heard recently onto the backend. */
    private void inFlightElsewhere(BackendState s, Learned m) {
        Map<String, long[]> counts = inFlightOf.computeIfAbsent(s.name(), n -> new ConcurrentHashMap<>());
        counts.merge(m.origin(), new long[] {m.a(), m.at()}, (old, next) -> next[1] >= old[1] ? next : old);
        long now = clock.millis();
        long sum = 0;
        for (long[] c : counts.values()) if (now - c[1] < BackendState.ELSEWHERE_TTL_MS) sum += c[0];
        s.inFlightElsewhere(sum, now);
    }

    /** A backend's entries, made for one a reload added before {@link #follow} ran for it. */
    private AtomicLong ownUntil(String backend) {
        return ownUntil.computeIfAbsent(backend, n -> new AtomicLong());
    }

    private AtomicReference<long[]> held(String backend) {
        return held.computeIfAbsent(backend, n -> new AtomicReference<>(new long[] {0, 0}));
    }

    /** Another replica's cooldown until {@code end}: hold for its trial unless this one trials too. */
    private void cooledElsewhere(BackendState s, long end) {
        long cap = clock.millis() + maxCooldownMillis;
        if (ownUntil(s.name()).get() >= end) {
            s.coolUntil(Math.min(end, cap));
            return;
        }
        long hold = Math.min(end + HOLD_MS, cap);
        s.coolUntil(hold);
        held(s.name()).set(new long[] {hold, Math.min(end, cap)});
    }

    private void publish(Learned m) {
        if (alone.get()) return;
        channel.publish(m.encode()).whenComplete((v, e) -> {
            if (e != null) goAlone(e);
            else published.incrementAndGet();
        });
    }

    /** Goes alone when the subscription is gone; rejoins when it is back and a round trip works. */
    void check() {
        if (!channel.listening()) {
            goAlone(null);
        } else if (alone.get()) {
            channel.ping().thenRun(() -> {
                if (alone.compareAndSet(true, false)) LOG.info("shared routing state: Redis is back, sharing again");
            });
        }
    }

    private void goAlone(Throwable cause) {
        if (!alone.compareAndSet(false, true)) return;
        losses.incrementAndGet();
        LOG.warn("shared routing state: Redis is away ({}); this replica routes on what it learns alone until "
                + "it is back", cause == null ? "subscription lost" : cause.toString());
    }

    /** Publishes what this replica learns first-hand. */
    private final class Publisher implements BackendState.Listener {
        @Override
        public void cooled(BackendState backend, long until, long now) {
            ownUntil(backend.name()).accumulateAndGet(until, Math::max);
            backend.startTrial(TRIAL_SUCCESSES);
            publish(Learned.cooldown(replica, backend.name(), now, until));
        }

        @Override
        public void trialPassed(BackendState backend) {
            publish(Learned.resumed(replica, backend.name(), clock.millis()));
        }

        @Override
        public void quotaRead(BackendState backend, long tokensLeft, long requestsLeft, long tokenLimit,
                double utilization, long now) {
            AtomicLong last = quotaPublishedAt.computeIfAbsent(backend.name(), n -> new AtomicLong());
            long before = last.get();
            if (now - before < QUOTA_EVERY_MS || !last.compareAndSet(before, now)) return;
            publish(Learned.quota(replica, backend.name(), now, tokensLeft, requestsLeft, tokenLimit, utilization));
        }

        @Override
        public void breakerOpened(BackendState backend, long now) {
            publish(Learned.breakerOpen(replica, backend.name(), now));
        }

        /** Publishes the count as it stands at the end of a short window: the last change always goes out. */
        @Override
        public void inFlightChanged(BackendState backend, long inFlight) {
            AtomicBoolean due = inFlightDue.computeIfAbsent(backend.name(), n -> new AtomicBoolean());
            if (alone.get() || !due.compareAndSet(false, true)) return;
            vertx.setTimer(IN_FLIGHT_EVERY_MS, id -> {
                due.set(false);
                publish(Learned.inFlight(replica, backend.name(), clock.millis(), backend.inFlight()));
            });
        }
    }
}
