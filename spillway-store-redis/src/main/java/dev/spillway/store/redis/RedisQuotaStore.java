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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The distributed {@link QuotaStore}: one Lua script checks and reserves every counter of an
 * admission atomically inside Redis, another settles or releases. Every hold carries its own expiry
 * (a crashed replica's holds free themselves) and every key a TTL past its window. Keys are
 * {@code <prefix>{<subject>}:<metric>:<window>:<window-id>}, hash-tagged by subject. Window ids and
 * hold expiry come from the injected clock. Thread-safe; one per gateway; close it to disconnect.
 */
public final class RedisQuotaStore implements QuotaStore {
    private static final LuaScript RESERVE = LuaScript.resource("reserve.lua");
    private static final LuaScript FINISH = LuaScript.resource("finish.lua");

    private final RedisConnector redis;
    private final Clock clock;
    private final Duration holdTtl;
    private final String prefix;

    public RedisQuotaStore(String url, Duration timeout, String keyPrefix, Clock clock, Duration holdTtl) {
        this.redis = new RedisConnector(url, timeout);
        this.clock = clock;
        this.holdTtl = holdTtl;
        this.prefix = keyPrefix;
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
        String[] keys = new String[charges.size() * 2];
        List<String> args = new ArrayList<>(List.of(ms(now), ms(expires), requestId));
        for (int i = 0; i < charges.size(); i++) {
            Charge c = charges.get(i);
            Limit limit = c.limit();
            Instant windowEnd = limit.window().end(now);
            String key = prefix + limit.counterName() + ":" + limit.window().id(now);
            keys[2 * i] = key;
            keys[2 * i + 1] = key + ":holds";
            args.addAll(List.of(Long.toString(limit.capacity()), Long.toString(c.amount()),
                    c.hold() ? "1" : "0", keyTtl(now, windowEnd)));
            held.add(new Reservation.Held(key, c, windowEnd));
        }
        Reservation reservation = new Reservation(requestId, "redis", held, expires);
        return redis.commands()
                .thenCompose(cmd -> RESERVE.run(cmd, keys, args.toArray(String[]::new)))
                .thenApply(reply -> admission(reply, charges, reservation, now));
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
        Instant now = clock.instant();
        List<Reservation.Held> held = r.held();
        String[] keys = new String[held.size() * 2];
        String[] args = new String[1 + held.size() * 2];
        args[0] = r.requestId();
        for (int i = 0; i < held.size(); i++) {
            Reservation.Held h = held.get(i);
            keys[2 * i] = h.counterKey();
            keys[2 * i + 1] = h.counterKey() + ":holds";
            args[1 + 2 * i] = Long.toString(charge ? Reservation.settledAmount(h, actual) : 0);
            args[2 + 2 * i] = keyTtl(now, h.windowEnd());
        }
        return redis.commands().thenCompose(cmd -> FINISH.run(cmd, keys, args)).thenApply(reply -> null);
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
