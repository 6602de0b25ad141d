package dev.spillway.gateway.access.limit;

import dev.spillway.gateway.testkit.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} adapter must have; each adapter's test extends this and
 * says how to build one. Subjects are unique per test so a shared Redis needs no cleanup.
 */
public abstract class QuotaStoreContract {
    protected static final Duration HOLD_TTL = Duration.ofMinutes(5);
    /** 10 seconds into a minute, so tests can move within the minute and across it. */
    protected final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:15:10Z"));
    protected QuotaStore store;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract QuotaStore newStore(Clock clock, Duration holdTtl);

    @BeforeEach
    void open() {
        store = newStore(clock, HOLD_TTL);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected Limit tokensPerMinute(String subject, long capacity) {
        return new Limit(subject + "-" + run, Metric.TOKENS, Window.MINUTE, capacity, FailMode.LOCAL_FALLBACK);
    }

    protected Admission reserve(String id, Charge... charges) {
        return store.reserve(id, List.of(charges)).toCompletableFuture().join();
    }

    private Reservation granted(Admission a) {
        assertThat(a).isInstanceOf(Admission.Granted.class);
        return ((Admission.Granted) a).reservation();
    }

    @Test
    void grantsWithinCapacityAndReportsWhatIsLeft() {
        Admission a = reserve("r1", Charge.hold(tokensPerMinute("key:a", 1000), 300));
        granted(a);
        assertThat(((Admission.Granted) a).remaining()).containsEntry(Metric.TOKENS, 700L);
    }

    @Test
    void deniesTheChargeThatDoesNotFitAndChargesNoOtherLimit() {
        Limit key = tokensPerMinute("key:b", 1000);
        Limit team = tokensPerMinute("team:b", 100);
        Admission a = reserve("r1", Charge.hold(key, 300), Charge.hold(team, 300));
        assertThat(a).isInstanceOf(Admission.Denied.class);
        Admission.Denied d = (Admission.Denied) a;
        assertThat(d.limit()).isEqualTo(team);
        assertThat(d.remaining()).isEqualTo(100);
        assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(50));
        assertThat(reserve("r2", Charge.hold(key, 1000))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void settlingReplacesTheHoldWithTheRealUsage() {
        Limit limit = tokensPerMinute("key:c", 1000);
        Reservation r = granted(reserve("r1", Charge.hold(limit, 800)));
        store.settle(r, Map.of(Metric.TOKENS, 100L)).toCompletableFuture().join();
        assertThat(reserve("r2", Charge.hold(limit, 900))).isInstanceOf(Admission.Granted.class);
        assertThat(reserve("r3", Charge.hold(limit, 1))).isInstanceOf(Admission.Denied.class);
    }

    @Test
    void releasingFreesTheHoldWithoutCharging() {
        Limit limit = tokensPerMinute("key:d", 1000);
        Reservation r = granted(reserve("r1", Charge.hold(limit, 1000)));
        assertThat(reserve("r2", Charge.hold(limit, 1))).isInstanceOf(Admission.Denied.class);
        store.release(r).toCompletableFuture().join();
        assertThat(reserve("r3", Charge.hold(limit, 1000))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void aHoldNeverSettledExpiresByItself() {
        Limit limit = new Limit("app:e-" + run, Metric.TOKENS, Window.DAY, 1000, FailMode.CLOSED);
        granted(reserve("crashed", Charge.hold(limit, 1000)));
        assertThat(reserve("r2", Charge.hold(limit, 1))).isInstanceOf(Admission.Denied.class);
        clock.advance(HOLD_TTL.plusSeconds(1));
        assertThat(reserve("r3", Charge.hold(limit, 1000))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void theMinuteWindowResetsAtTheMinute() {
        Limit limit = tokensPerMinute("key:f", 10);
        granted(reserve("r1", Charge.consume(limit, 10)));
        assertThat(reserve("r2", Charge.consume(limit, 1))).isInstanceOf(Admission.Denied.class);
        clock.advance(Duration.ofSeconds(50));
        assertThat(reserve("r3", Charge.consume(limit, 10))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void settlingAfterTheWindowRolledOverCorrectsTheWindowItWasHeldIn() {
        Limit day = new Limit("user:g-" + run, Metric.TOKENS, Window.DAY, 1000, FailMode.CLOSED);
        Limit minute = tokensPerMinute("user:g", 1000);
        Reservation r = granted(reserve("r1", Charge.hold(minute, 500), Charge.hold(day, 500)));
        clock.advance(Duration.ofSeconds(60));
        store.settle(r, Map.of(Metric.TOKENS, 600L)).toCompletableFuture().join();
        assertThat(reserve("r2", Charge.hold(minute, 1000))).isInstanceOf(Admission.Granted.class);
        assertThat(reserve("r3", Charge.hold(day, 401))).isInstanceOf(Admission.Denied.class);
    }

    @Test
    void consumedChargesCountAtOnceAndSettleToNothingMore() {
        Limit requests = new Limit("key:h-" + run, Metric.REQUESTS, Window.MINUTE, 2, FailMode.LOCAL_FALLBACK);
        Limit tokens = tokensPerMinute("key:h", 1000);
        Reservation r = granted(reserve("r1", Charge.consume(requests, 1), Charge.hold(tokens, 10)));
        store.settle(r, Map.of(Metric.TOKENS, 10L)).toCompletableFuture().join();
        granted(reserve("r2", Charge.consume(requests, 1)));
        assertThat(reserve("r3", Charge.consume(requests, 1))).isInstanceOf(Admission.Denied.class);
    }

    @Test
    void parallelReservationsNeverAdmitMoreThanTheLimit() throws Exception {
        Limit limit = tokensPerMinute("key:parallel", 1000);
        List<CompletableFuture<Admission>> all = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                long estimate = ThreadLocalRandom.current().nextLong(20, 120);
                String id = "p" + i;
                all.add(CompletableFuture.supplyAsync(() -> reserve(id, Charge.hold(limit, estimate)), pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        long admitted = all.stream().map(CompletableFuture::join)
                .filter(a -> a instanceof Admission.Granted)
                .mapToLong(a -> ((Admission.Granted) a).reservation().held().get(0).charge().amount()).sum();
        assertThat(admitted).isLessThanOrEqualTo(1000).isGreaterThan(880);
    }
}
