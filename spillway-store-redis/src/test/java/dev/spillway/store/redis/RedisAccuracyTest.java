package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.access.limit.Admission;
import dev.spillway.gateway.access.limit.Charge;
import dev.spillway.gateway.access.limit.FailMode;
import dev.spillway.gateway.access.limit.Limit;
import dev.spillway.gateway.access.limit.Metric;
import dev.spillway.gateway.access.limit.QuotaStore;
import dev.spillway.gateway.access.limit.Reservation;
import dev.spillway.gateway.access.limit.Window;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's accuracy check at the store level: 200 parallel admissions spread over two store
 * clients (two replicas) sharing one Redis never admit more than the limit plus one reservation.
 */
class RedisAccuracyTest {
    private static final int REQUESTS = 200;
    private static final long ESTIMATE = 37;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @Test
    void twoReplicasAdmitAtMostOneThousandTokensPerMinuteBetweenThem() throws Exception {
        Limit tpm = new Limit("key:" + run, Metric.TOKENS, Window.MINUTE, 1000, FailMode.LOCAL_FALLBACK);
        long admitted = admittedAcrossTwoReplicas(tpm);
        assertThat(admitted).isLessThanOrEqualTo(1000 + ESTIMATE).isGreaterThan(1000 - ESTIMATE);
    }

    @Test
    void twoReplicasSpendAtMostTheMoneyBudgetBetweenThem() throws Exception {
        Limit budget = new Limit("team:" + run, Metric.MICRO_USD, Window.MONTH, 5_000, FailMode.CLOSED);
        long admitted = admittedAcrossTwoReplicas(budget);
        assertThat(admitted).isLessThanOrEqualTo(5_000 + ESTIMATE).isGreaterThan(5_000 - ESTIMATE);
    }

    private long admittedAcrossTwoReplicas(Limit limit) throws Exception {
        Clock clock = Clock.systemUTC();
        try (QuotaStore a = new RedisQuotaStore(LocalRedis.URL, Duration.ofSeconds(2), "spw-test:", clock, Duration.ofMinutes(5));
             QuotaStore b = new RedisQuotaStore(LocalRedis.URL, Duration.ofSeconds(2), "spw-test:", clock, Duration.ofMinutes(5))) {
            List<CompletableFuture<Admission>> all = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                QuotaStore replica = i % 2 == 0 ? a : b;
                all.add(replica.reserve("req-" + i, List.of(Charge.hold(limit, ESTIMATE))).toCompletableFuture());
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long admitted = 0;
            for (int i = 0; i < REQUESTS; i++) {
                if (all.get(i).join() instanceof Admission.Granted g) {
                    admitted += settleToActual(i % 2 == 0 ? a : b, g.reservation(), limit.metric());
                }
            }
            return admitted;
        }
    }

    /** Settles each admission to its estimate and returns it: the charge that stays on the counter. */
    private static long settleToActual(QuotaStore store, Reservation r, Metric metric) {
        store.settle(r, Map.of(metric, ESTIMATE)).toCompletableFuture().join();
        return ESTIMATE;
    }
}
