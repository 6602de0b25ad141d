package dev.spillway.gateway.access.limit;

import dev.spillway.gateway.testkit.FakeClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailoverQuotaStoreTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-21T10:15:10Z"));
    private final FlakyQuotaStore remote = new FlakyQuotaStore(clock);
    private final FailoverQuotaStore store = new FailoverQuotaStore(remote, clock, Duration.ofMinutes(5),
            Duration.ofMillis(50), 2, Duration.ofSeconds(10));
    private final Limit tpm = new Limit("key:k", Metric.TOKENS, Window.MINUTE, 1000, FailMode.LOCAL_FALLBACK);
    private final Limit budget = new Limit("team:t", Metric.MICRO_USD, Window.MONTH, 5_000_000, FailMode.CLOSED);
    private final Limit open = new Limit("app:a", Metric.TOKENS, Window.DAY, 10, FailMode.OPEN);

    private Admission reserve(String id, Charge... charges) {
        return store.reserve(id, List.of(charges)).toCompletableFuture().join();
    }

    @Test
    void whileTheStoreAnswersItsAdmissionsAreUsed() {
        Admission a = reserve("r1", Charge.hold(tpm, 900));
        assertThat(((Admission.Granted) a).reservation().origin()).isEqualTo("remote");
    }

    @Test
    void tokensPerMinuteFallBackToThisReplicasShareWhenTheStoreIsDown() {
        remote.mode = FlakyQuotaStore.Mode.DOWN;
        assertThat(reserve("r1", Charge.hold(tpm, 500))).isInstanceOf(Admission.Granted.class);
        Admission second = reserve("r2", Charge.hold(tpm, 1));
        assertThat(second).isInstanceOf(Admission.Denied.class);
        assertThat(((Admission.Denied) second).limit().capacity()).isEqualTo(500);
    }

    @Test
    void moneyBudgetsFailClosedWhenTheStoreIsDown() {
        remote.mode = FlakyQuotaStore.Mode.DOWN;
        assertThatThrownBy(() -> reserve("r1", Charge.hold(tpm, 10), Charge.hold(budget, 100)))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(QuotaStoreUnavailable.class)
                .hasMessageContaining("fails closed");
    }

    @Test
    void failOpenLimitsPassUncountedWhenTheStoreIsDown() {
        remote.mode = FlakyQuotaStore.Mode.DOWN;
        assertThat(reserve("r1", Charge.hold(open, 1000))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void aStalledStoreTimesOutIntoTheFailPolicyInsteadOfHangingTheRequest() {
        remote.mode = FlakyQuotaStore.Mode.STALLED;
        Admission a = reserve("r1", Charge.hold(tpm, 100));
        assertThat(((Admission.Granted) a).reservation().origin()).isEqualTo("fallback");
    }

    @Test
    void theBreakerOpensAfterRepeatedFailuresAndStopsCallingTheStoreUntilItMayProbeAgain() {
        remote.mode = FlakyQuotaStore.Mode.DOWN;
        for (int i = 0; i < 5; i++) reserve("r" + i, Charge.hold(tpm, 1));
        assertThat(store.degraded()).isTrue();
        int callsWhenOpened = remote.calls.get();
        reserve("r-open", Charge.hold(tpm, 1));
        assertThat(remote.calls.get()).isEqualTo(callsWhenOpened);

        remote.mode = FlakyQuotaStore.Mode.UP;
        clock.advance(Duration.ofSeconds(11));
        Admission probe = reserve("r-probe", Charge.hold(tpm, 1));
        assertThat(((Admission.Granted) probe).reservation().origin()).isEqualTo("remote");
    }

    @Test
    void aReservationSettlesInTheStoreThatMadeIt() {
        remote.mode = FlakyQuotaStore.Mode.DOWN;
        Reservation r = ((Admission.Granted) reserve("r1", Charge.hold(tpm, 500))).reservation();
        store.settle(r, Map.of(Metric.TOKENS, 100L)).toCompletableFuture().join();
        assertThat(reserve("r2", Charge.hold(tpm, 400))).isInstanceOf(Admission.Granted.class);
    }

    @Test
    void aSettleTheStoreNeverAnswersIsDroppedAfterTheTimeout() {
        Reservation r = ((Admission.Granted) reserve("r1", Charge.hold(tpm, 500))).reservation();
        remote.mode = FlakyQuotaStore.Mode.STALLED;
        assertThat(store.settle(r, Map.of(Metric.TOKENS, 100L)).toCompletableFuture().join()).isNull();
    }
}
