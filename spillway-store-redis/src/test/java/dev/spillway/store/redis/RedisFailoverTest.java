package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.access.limit.FailoverQuotaStore;
import dev.spillway.gateway.testkit.FakeClock;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.QuotaStoreUnavailable;
import dev.spillway.gateway.access.limit.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Takes Redis away mid-test (by cutting a local relay, never the server) and checks the fail policy. */
class RedisFailoverTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:15:10Z"));
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @Test
    void whenRedisGoesAwayTokensFallBackToALocalShareAndBudgetsFailClosed() throws Exception {
        Limit tpm = new Limit("key:" + run, Metric.TOKENS, Window.MINUTE, 1000, FailMode.LOCAL_FALLBACK);
        Limit budget = new Limit("team:" + run, Metric.MICRO_USD, Window.MONTH, 1_000_000, FailMode.CLOSED);
        try (TcpProxy proxy = new TcpProxy(6379);
             RedisQuotaStore redis = new RedisQuotaStore(proxy.url(), Duration.ofMillis(200), "spw-test:", clock,
                     Duration.ofMinutes(5));
             FailoverQuotaStore store = new FailoverQuotaStore(redis, clock, Duration.ofMinutes(5),
                     Duration.ofMillis(300), 2, Duration.ofSeconds(10))) {
            redis.started().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Admission before = reserve(store, "r1", Charge.hold(tpm, 100), Charge.hold(budget, 10));
            assertThat(((Admission.Granted) before).reservation().origin()).isEqualTo("redis");

            proxy.close();

            Admission after = reserve(store, "r2", Charge.hold(tpm, 500));
            assertThat(((Admission.Granted) after).reservation().origin()).isEqualTo("fallback");
            assertThat(reserve(store, "r3", Charge.hold(tpm, 1))).isInstanceOf(Admission.Denied.class);
            assertThatThrownBy(() -> reserve(store, "r4", Charge.hold(budget, 10)))
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(QuotaStoreUnavailable.class);
        }
    }

    private static Admission reserve(FailoverQuotaStore store, String id, Charge... charges) {
        return store.reserve(id, List.of(charges)).toCompletableFuture().join();
    }
}
