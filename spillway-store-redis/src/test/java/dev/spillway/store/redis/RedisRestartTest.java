package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.Reservation;
import dev.spillway.gateway.access.limit.Window;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restarts a Redis of the test's own, empty, under two replicas' quota stores and checks that the
 * window's count comes back whole: each replica puts back what it charged, once.
 */
class RedisRestartTest {
    private static final int PORT = 24379;
    private static final String PREFIX = "spw-fleet-test:";

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:15:10Z"));
    private final Limit tpm = new Limit("app:metered", Metric.TOKENS, Window.MINUTE, 1000, FailMode.CLOSED);
    private final Limit rpm = new Limit("app:metered", Metric.REQUESTS, Window.MINUTE, 100, FailMode.CLOSED);
    private OwnRedis redis;
    private RedisQuotaStore a;
    private RedisQuotaStore b;

    @BeforeEach
    void fleetOfTwo() throws Exception {
        redis = new OwnRedis(PORT).start();
        a = store();
        b = store();
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void aRedisRestartedEmptyGetsEachReplicasShareBackBeforeItChargesAgain() throws Exception {
        settle(a, granted(a, "a1", Charge.hold(tpm, 400), Charge.consume(rpm, 1)), 300);
        Reservation live = granted(b, "b1", Charge.hold(tpm, 200), Charge.consume(rpm, 1));

        restartEmpty();
        awaitReachable(a);
        awaitReachable(b);

        assertThat(reserve(a, "a2", Charge.hold(tpm, 501))).isInstanceOf(Admission.Denied.class);
        assertThat(counter(tpm)).containsEntry("used", "300").containsEntry("held", "200");
        assertThat(counter(rpm)).containsEntry("used", "2");
        settle(b, live, 150);
        assertThat(counter(tpm)).containsEntry("used", "450").containsEntry("held", "0");
        assertThat(reserve(a, "a3", Charge.hold(tpm, 550))).isInstanceOf(Admission.Granted.class);
        assertThat(reserve(b, "b2", Charge.hold(tpm, 1))).isInstanceOf(Admission.Denied.class);
    }

    @Test
    void anIdleReplicaPutsItsShareBackWhenItReconnects() throws Exception {
        settle(b, granted(b, "b1", Charge.hold(tpm, 700)), 600);

        restartEmpty();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"600".equals(counter(tpm).get("used")) && System.nanoTime() < until) Thread.sleep(20);

        assertThat(counter(tpm)).containsEntry("used", "600");
        awaitReachable(a); // b's restore says nothing of when a's own connection is back
        assertThat(reserve(a, "a1", Charge.hold(tpm, 401))).isInstanceOf(Admission.Denied.class);
        assertThat(reserve(a, "a2", Charge.hold(tpm, 400))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void aReconnectWithoutDataLossAddsNothing() throws Exception {
        settle(a, granted(a, "a1", Charge.hold(tpm, 300)), 300);
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().clientKill(KillArgs.Builder.typeNormal().skipme());
        }
        awaitReachable(a);
        settle(a, granted(a, "a2", Charge.hold(tpm, 100)), 100);

        assertThat(counter(tpm)).containsEntry("used", "400").containsEntry("held", "0");
    }

    private RedisQuotaStore store() throws Exception {
        RedisQuotaStore s = new RedisQuotaStore(redis.url(), Duration.ofSeconds(2), PREFIX, clock,
                Duration.ofMinutes(5));
        s.started().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return s;
    }

    private void restartEmpty() throws Exception {
        redis.stop();
        redis = new OwnRedis(PORT).start();
    }

    /** Waits (bounded) until the store's connection is back; a rejected reserve charges nothing. */
    private static void awaitReachable(RedisQuotaStore store) throws InterruptedException {
        Limit probe = new Limit("app:probe", Metric.REQUESTS, Window.MINUTE, 1_000_000, FailMode.CLOSED);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try {
                store.reserve("probe", List.of(Charge.consume(probe, 0))).toCompletableFuture().join();
                return;
            } catch (RuntimeException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the store did not reconnect within 10 s");
    }

    private Map<String, String> counter(Limit limit) {
        String key = PREFIX + limit.counterName() + ":" + limit.window().id(clock.instant());
        try (RedisClient client = RedisClient.create(redis.url());
             StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().hgetall(key);
        }
    }

    private static Reservation granted(RedisQuotaStore store, String id, Charge... charges) {
        return ((Admission.Granted) reserve(store, id, charges)).reservation();
    }

    private static Admission reserve(RedisQuotaStore store, String id, Charge... charges) {
        return store.reserve(id, List.of(charges)).toCompletableFuture().join();
    }

    private static void settle(RedisQuotaStore store, Reservation r, long tokens) {
        store.settle(r, Map.of(Metric.TOKENS, tokens)).toCompletableFuture().join();
    }
}
