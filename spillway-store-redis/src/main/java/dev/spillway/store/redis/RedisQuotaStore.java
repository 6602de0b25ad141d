package dev.spillway.store.redis;

import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.Reservation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed {@link QuotaStore}: one Lua script checks and reserves every counter of an
 * admission atomically inside Redis, another settles or releases. Every hold carries its own expiry
 * (a crashed replica's holds free themselves) and every key a TTL past its window. Keys are
 * {@code <prefix>{<subject>}:<metric>:<window>:<window-id>}, hash-tagged by subject. Window ids and
 * hold expiry come from the injected clock. Thread-safe; one per gateway; close it to disconnect.
 *
 * <p>Implementation notes: a Redis that restarts empty forgets the windows' counts. So each
 * store journals what it charged per counter ({@link ContributionJournal}) and marks every counter
 * it writes with its replica id; a script that finds a counter this replica charged before without
 * its mark answers "restore first", and the store adds its journaled share back
 * ({@code restore.lua}, once per counter) and asks again. Each reconnect also restores every
 * journaled counter at once, so a replica that is idle still puts its share back within its
 * reconnect delay. The counts are whole again once every replica that charged them has done so.
 */
public final class RedisQuotaStore implements QuotaStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQuotaStore.class);
    private static final LuaScript RESERVE = LuaScript.resource("reserve.lua");
    private static final LuaScript FINISH = LuaScript.resource("finish.lua");
    private static final LuaScript RESTORE = LuaScript.resource("restore.lua");
    private static final long RESTORE_FIRST = 2L;

    private final RedisConnector redis;
    private final Clock clock;
    private final Duration holdTtl;
    private final String prefix;
    private final String replica = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private final ContributionJournal journal = new ContributionJournal();

    public RedisQuotaStore(String url, Duration timeout, String keyPrefix, Clock clock, Duration holdTtl) {
        this.redis = new RedisConnector(url, timeout);
        this.clock = clock;
        this.holdTtl = holdTtl;
        this.prefix = keyPrefix;
        redis.onConnected(this::restoreAll);
    }

    /** Completes when the first connection attempt is over; the gateway waits on it (bounded) at startup. */
    @Override
    public CompletionStage<Void> started() {
        return redis.firstAttempt();
    }

    @Override
    public CompletionStage<Admission> reserve(String requestId, List<Charge> charges) {
        Instant now = clock.instant();
        Instant expires = now.plus(holdTtl);
        List<Reservation.Held> held = new ArrayList<>(charges.size());
        for (Charge c : charges) {
            Limit limit = c.limit();
            String key = prefix + limit.counterName() + ":" + limit.window().id(now);
            held.add(new Reservation.Held(key, c, limit.window().end(now)));
        }
        Reservation reservation = new Reservation(requestId, "redis", held, expires);
        return withRestore(held, () -> runReserve(reservation, now))
                .thenApply(reply -> admission(reply, charges, reservation, now));
    }

    private CompletionStage<List<Object>> runReserve(Reservation r, Instant now) {
        List<Reservation.Held> held = r.held();
        String[] keys = new String[held.size() * 2];
        List<String> args = new ArrayList<>(List.of(ms(now), ms(r.expiresAt()), r.requestId(), replica));
        for (int i = 0; i < held.size(); i++) {
            Reservation.Held h = held.get(i);
            keys[2 * i] = h.counterKey();
            keys[2 * i + 1] = h.counterKey() + ":holds";
            args.addAll(List.of(Long.toString(h.charge().limit().capacity()), Long.toString(h.charge().amount()),
                    h.charge().hold() ? "1" : "0", keyTtl(now, h.windowEnd()), flag(h)));
        }
        return redis.commands().thenCompose(cmd -> RESERVE.run(cmd, keys, args.toArray(String[]::new)))
                .thenApply(reply -> {
                    if ((Long) reply.get(0) == 1L) journalGranted(r, now);
                    return reply;
                });
    }

    private void journalGranted(Reservation r, Instant now) {
        for (Reservation.Held h : r.held()) {
            ContributionJournal.Entry e = journal.entry(h.counterKey(), h.windowEnd().plus(holdTtl));
            if (h.charge().hold()) e.hold(r.requestId(), h.charge().amount(), now, r.expiresAt());
            else e.consume(h.charge().amount());
        }
    }

    private static Admission admission(List<Object> reply, List<Charge> charges, Reservation r, Instant now) {
        if ((Long) reply.get(0) == 0L) {
            Limit limit = charges.get((int) (long) (Long) reply.get(1) - 1).limit();
            return new Admission.Denied(limit, Math.max(0, (Long) reply.get(2)), limit.window().untilReset(now));
        }
        Map<Metric, Admission.Headroom> remaining = new EnumMap<>(Metric.class);
        for (int i = 0; i < charges.size(); i++) {
            Admission.Headroom.keepTighter(remaining, charges.get(i).limit(), (Long) reply.get(i + 1));
        }
        return new Admission.Granted(r, remaining);
    }

    @Override
    public CompletionStage<Void> settle(Reservation reservation, Map<Metric, Long> actual) {
        return finish(reservation, actual, true);
    }

    @Override
    public CompletionStage<Void> release(Reservation reservation) {
        return finish(reservation, Map.of(), false);
    }

    private CompletionStage<Void> finish(Reservation r, Map<Metric, Long> actual, boolean charge) {
        return withRestore(r.held(), () -> runFinish(r, actual, charge)).thenApply(reply -> null);
    }

    private CompletionStage<List<Object>> runFinish(Reservation r, Map<Metric, Long> actual, boolean charge) {
        Instant now = clock.instant();
        List<Reservation.Held> held = r.held();
        String[] keys = new String[held.size() * 2];
        String[] args = new String[2 + held.size() * 3];
        long[] added = new long[held.size()];
        args[0] = r.requestId();
        args[1] = replica;
        for (int i = 0; i < held.size(); i++) {
            Reservation.Held h = held.get(i);
            keys[2 * i] = h.counterKey();
            keys[2 * i + 1] = h.counterKey() + ":holds";
            added[i] = charge ? Reservation.settledAmount(h, actual) : 0;
            args[2 + 3 * i] = Long.toString(added[i]);
            args[3 + 3 * i] = keyTtl(now, h.windowEnd());
            args[4 + 3 * i] = flag(h);
        }
        return redis.commands().thenCompose(cmd -> FINISH.run(cmd, keys, args)).thenApply(reply -> {
            if ((Long) reply.get(0) == 1L) journalFinished(r, added);
            return reply;
        });
    }

    private void journalFinished(Reservation r, long[] added) {
        for (int i = 0; i < r.held().size(); i++) {
            ContributionJournal.Entry e = journal.find(r.held().get(i).counterKey());
            if (e != null) e.settle(r.requestId(), added[i]);
        }
    }

    /**
     * Runs a script; if it answers "restore first" (Redis lost this replica's share of a counter),
     * restores every counter of the call and runs it once more.
     */
    private CompletionStage<List<Object>> withRestore(List<Reservation.Held> held,
            Supplier<CompletionStage<List<Object>>> script) {
        return script.get().thenCompose(reply -> {
            if ((Long) reply.get(0) != RESTORE_FIRST) return CompletableFuture.completedFuture(reply);
            List<CompletableFuture<Boolean>> restores = new ArrayList<>();
            for (Reservation.Held h : held) restores.add(restore(h.counterKey()).toCompletableFuture());
            return CompletableFuture.allOf(restores.toArray(CompletableFuture[]::new))
                    .thenCompose(done -> script.get())
                    .thenApply(again -> {
                        if ((Long) again.get(0) == RESTORE_FIRST) {
                            throw new IllegalStateException("Redis still lacks this replica's share after a restore");
                        }
                        return again;
                    });
        });
    }

    /** Puts this replica's journaled share of {@code counterKey} back if Redis lost it; true if it did. */
    private CompletionStage<Boolean> restore(String counterKey) {
        ContributionJournal.Entry entry = journal.find(counterKey);
        Instant now = clock.instant();
        if (entry == null || !entry.expiresAt.isAfter(now)) return CompletableFuture.completedFuture(false);
        ContributionJournal.Snapshot snap = entry.snapshot(now);
        List<String> args = new ArrayList<>(List.of(replica, Long.toString(snap.used()),
                Long.toString(Math.max(1, Duration.between(now, entry.expiresAt).toMillis()))));
        for (Map.Entry<String, ContributionJournal.Hold> h : snap.holds()) {
            args.addAll(List.of(h.getKey(), Long.toString(h.getValue().amount()), ms(h.getValue().expiry())));
        }
        String[] keys = {counterKey, counterKey + ":holds"};
        return redis.commands().thenCompose(cmd -> RESTORE.run(cmd, keys, args.toArray(String[]::new)))
                .thenApply(reply -> (Long) reply.get(0) == 1L);
    }

    /** After each (re)connect: restores every counter this replica charged whose window is open. */
    private void restoreAll() {
        List<CompletableFuture<Boolean>> restores = new ArrayList<>();
        journal.forEachLive(clock.instant(), (key, entry) -> restores.add(restore(key).toCompletableFuture()));
        CompletableFuture.allOf(restores.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            long restored = restores.stream().filter(f -> !f.isCompletedExceptionally() && f.join()).count();
            if (error != null) LOG.warn("restoring this replica's quota counts failed: {}", error.toString());
            if (restored > 0) LOG.warn("Redis had lost this replica's share of {} quota counters; restored", restored);
        });
    }

    private String flag(Reservation.Held h) {
        return journal.contributed(h.counterKey(), clock.instant()) ? "1" : "0";
    }

    /** A key lives until its window ends plus the hold TTL (so late settles land), at least a second. */
    private String keyTtl(Instant now, Instant windowEnd) {
        return Long.toString(Math.max(1000, Duration.between(now, windowEnd.plus(holdTtl)).toMillis()));
    }

    private static String ms(Instant t) {
        return Long.toString(t.toEpochMilli());
    }

    @Override
    public void close() {
        redis.close();
    }
}
