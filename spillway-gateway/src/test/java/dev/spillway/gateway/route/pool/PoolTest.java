package dev.spillway.gateway.route.pool;

import static dev.spillway.gateway.testkit.Fixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.testkit.Fixtures;
import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.DeploymentConfig.Selection;
import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.route.breaker.Breakers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolTest {
    private final FakeClock clock = new FakeClock();
    private final RoutingConfig routing = RoutingConfig.DEFAULT;

    private BackendState state(BackendConfig b) {
        return new BackendState(b, Breakers.create(b.name(), routing.breaker(), clock), routing, clock);
    }

    /** ptu (priority 0), payg-a (priority 1, weight 2), payg-b (priority 1, weight 1). */
    private final BackendState ptu = state(backend("ptu", ""));
    private final BackendState paygA = state(backend("payg-a", ""));
    private final BackendState paygB = state(backend("payg-b", ""));

    private Pool pool(Selection selection) {
        return new Pool("gpt-4o", selection, List.of(ptu, paygA, paygB), new int[] {0, 1, 1}, new int[] {1, 2, 1}, "");
    }

    private String pickName(Pool pool) {
        return ((Pick.Go) pool.pick(0, 100, clock.millis())).backend().name();
    }

    @Test
    void ptuTierServesEveryRequestWhileItFits() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        for (int i = 0; i < 10; i++) assertThat(pickName(pool)).isEqualTo("ptu");
    }

    @Test
    void aDrainedBackendGetsNoRequestsUntilUndrained() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        ptu.drained(true);
        for (int i = 0; i < 10; i++) assertThat(pickName(pool)).startsWith("payg-");
        assertThat(pool.firstTierHasRoom(clock.millis(), 1.0)).as("a drained PTU has no room").isFalse();

        ptu.drained(false);
        assertThat(pickName(pool)).isEqualTo("ptu");
    }

    @Test
    void aPoolWithEveryBackendDrainedHasNothingToPick() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        for (BackendState b : List.of(ptu, paygA, paygB)) b.drained(true);

        assertThat(pool.pick(0, 100, clock.millis())).isEqualTo(Pick.NONE);
        assertThat(pool.anyHealthy()).isFalse();
    }

    @Test
    void weightsWithinATierAreSharedSmoothlyAndExactly() {
        ptu.coolUntil(clock.millis() + 60_000);
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 300; i++) picks.add(pickName(pool));
        assertThat(picks.stream().filter("payg-a"::equals).count()).isEqualTo(200);
        assertThat(picks.stream().filter("payg-b"::equals).count()).isEqualTo(100);
        for (int i = 1; i < picks.size(); i++) {
            assertThat(picks.get(i).equals("payg-b") && picks.get(i - 1).equals("payg-b")).as("b twice in a row at %d", i).isFalse();
        }
    }

    @Test
    void backendThatWillNotFitIsSkippedBeforeItAnswers429() {
        ptu.observeQuota(50, 10, 30_000, -1, clock.millis());
        assertThat(pickName(pool(Selection.PRIORITY_WEIGHT))).startsWith("payg");
    }

    @Test
    void ptuAtItsUtilizationLimitSpillsToPayAsYouGo() {
        ptu.observeQuota(-1, -1, -1, 99.2, clock.millis());
        assertThat(pickName(pool(Selection.PRIORITY_WEIGHT))).startsWith("payg");
    }

    @Test
    void ptuBelowItsUtilizationLimitKeepsTheTraffic() {
        ptu.observeQuota(-1, -1, -1, 80.0, clock.millis());
        assertThat(pickName(pool(Selection.PRIORITY_WEIGHT))).isEqualTo("ptu");
    }

    @Test
    void staleQuotaHeadersAreNoLongerTrusted() {
        ptu.observeQuota(50, 0, 30_000, -1, clock.millis());
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        assertThat(pickName(pool)).startsWith("payg");
        clock.advance(routing.spillover().observationTtl());
        assertThat(pickName(pool)).isEqualTo("ptu");
    }

    @Test
    void ptuUtilizationDrainsAtOneMinuteOfCapacityUntilItHasRoomAgain() {
        ptu.observeQuota(-1, -1, -1, 100.0, clock.millis());
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        clock.advanceMillis(2_900); // 100% - 2.9 s x 1.67%/s = 95.2%: still full
        assertThat(pickName(pool)).startsWith("payg");
        clock.advanceMillis(200); // 94.8%
        assertThat(pickName(pool)).isEqualTo("ptu");
    }

    @Test
    void afterAFullReadingOnlyOneRequestAtATimeProbesThePtu() {
        ptu.observeQuota(-1, -1, -1, 100.0, clock.millis());
        clock.advanceMillis(5_000);
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        assertThat(pickName(pool)).isEqualTo("ptu");
        ptu.dispatched(100, clock.millis());
        assertThat(pickName(pool)).as("the probe is still in flight").startsWith("payg");
        ptu.answered(1_000);
        ptu.observeQuota(-1, -1, -1, 60.0, clock.millis());
        ptu.dispatched(100, clock.millis());
        assertThat(pickName(pool)).as("a fresh reading below the limit lifts the limit").isEqualTo("ptu");
    }

    @Test
    void requestsSentSinceTheLastHeadersAreDebitedLocally() {
        ptu.observeQuota(250, 100, 30_000, -1, clock.millis());
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        ptu.dispatched(100, clock.millis());
        ptu.dispatched(100, clock.millis());
        assertThat(pickName(pool)).as("50 tokens left for a 100-token request").startsWith("payg");
    }

    @Test
    void whenNothingFitsTheFirstTierIsTriedAnywayBecauseTheBackendDecides() {
        for (BackendState b : List.of(ptu, paygA, paygB)) b.observeQuota(10, 10, 30_000, -1, clock.millis());
        assertThat(pickName(pool(Selection.PRIORITY_WEIGHT))).isEqualTo("ptu");
    }

    @Test
    void proactiveSpilloverSwitchedOffIgnoresTheHeaders() {
        var reactive = new RoutingConfig(5, Duration.ofSeconds(60), Duration.ofSeconds(5), routing.retryBudget(),
                new RoutingConfig.Spillover(false, 95, Duration.ofSeconds(10), 16, Duration.ofSeconds(1),
                        Duration.ofSeconds(60), 100.0 / 60), routing.breaker());
        BackendState p = new BackendState(backend("ptu", ""), Breakers.create("ptu", reactive.breaker(), clock), reactive, clock);
        p.observeQuota(-1, -1, -1, 100.0, clock.millis());
        Pool pool = new Pool("x", Selection.PRIORITY_WEIGHT, List.of(p, paygA), new int[] {0, 1}, new int[] {1, 1}, "");
        assertThat(pickName(pool)).isEqualTo("ptu");
    }

    @Test
    void coolingBackendIsSkippedUntilItsRetryAfterEnds() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        ptu.coolUntil(clock.millis() + 2_000);
        assertThat(pickName(pool)).startsWith("payg");
        clock.advanceMillis(2_000);
        assertThat(pickName(pool)).isEqualTo("ptu");
    }

    @Test
    void aShorterSecondCooldownDoesNotCutTheFirstShort() {
        ptu.coolUntil(clock.millis() + 5_000);
        ptu.coolUntil(clock.millis() + 1_000);
        assertThat(ptu.coolingUntil()).isEqualTo(clock.millis() + 5_000);
    }

    @Test
    void everyBackendCoolingAsksToWaitForTheEarliest() {
        ptu.coolUntil(clock.millis() + 3_000);
        paygA.coolUntil(clock.millis() + 1_500);
        paygB.coolUntil(clock.millis() + 2_000);
        assertThat(pool(Selection.PRIORITY_WEIGHT).pick(0, 100, clock.millis()))
                .isEqualTo(new Pick.Wait(clock.millis() + 1_500));
    }

    @Test
    void triedBackendsAreNotPickedAgainAndNoneIsLeftAfterAll() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        assertThat(pool.pick(0b001, 100, clock.millis())).isInstanceOf(Pick.Go.class);
        assertThat(pool.pick(0b111, 100, clock.millis())).isEqualTo(Pick.NONE);
    }

    @Test
    void ownRegionIsPreferredWithinATierAndTheOtherRegionTakesOver() {
        BackendState east = state(backend("east", "eastus"));
        BackendState west = state(backend("west", "westus"));
        Pool inEast = new Pool("x", Selection.PRIORITY_WEIGHT, List.of(west, east), new int[] {1, 1}, new int[] {1, 1}, "eastus");
        Pool inWest = new Pool("x", Selection.PRIORITY_WEIGHT, List.of(west, east), new int[] {1, 1}, new int[] {1, 1}, "westus");
        for (int i = 0; i < 5; i++) {
            assertThat(pickName(inEast)).isEqualTo("east");
            assertThat(pickName(inWest)).isEqualTo("west");
        }
        east.coolUntil(clock.millis() + 1_000);
        assertThat(pickName(inEast)).isEqualTo("west");
    }

    @Test
    void priorityOutranksRegion() {
        BackendState remotePtu = state(backend("ptu-west", "westus"));
        BackendState localPayg = state(backend("payg-east", "eastus"));
        Pool pool = new Pool("x", Selection.PRIORITY_WEIGHT, List.of(localPayg, remotePtu), new int[] {1, 0}, new int[] {1, 1}, "eastus");
        assertThat(pickName(pool)).isEqualTo("ptu-west");
    }

    @Test
    void ejectedBackendIsSkippedButUsedWhenNoneIsHealthy() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        for (int i = 0; i < 3; i++) ptu.failed();
        assertThat(ptu.healthy()).isFalse();
        assertThat(pickName(pool)).startsWith("payg");
        for (int i = 0; i < 3; i++) {
            paygA.failed();
            paygB.failed();
        }
        assertThat(pickName(pool)).as("panic routing").isEqualTo("ptu");
        assertThat(pool.anyHealthy()).isFalse();
    }

    @Test
    void openBreakerIsNeverPicked() {
        ptu.breaker().transitionToOpenState();
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        for (int i = 0; i < 5; i++) assertThat(pickName(pool)).startsWith("payg");
    }

    @Test
    void roundRobinRotatesThroughATierIgnoringWeights() {
        ptu.coolUntil(clock.millis() + 60_000);
        Pool pool = pool(Selection.ROUND_ROBIN);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100; i++) counts.merge(pickName(pool), 1, Integer::sum);
        assertThat(counts).containsEntry("payg-a", 50).containsEntry("payg-b", 50);
    }

    @Test
    void leastLatencyPrefersTheBackendThatAnswersFirst() {
        ptu.coolUntil(clock.millis() + 60_000);
        paygA.answered(900_000);
        paygB.answered(200_000);
        assertThat(pickName(pool(Selection.LEAST_LATENCY))).isEqualTo("payg-b");
        for (int i = 0; i < 20; i++) paygB.answered(2_000_000);
        assertThat(pickName(pool(Selection.LEAST_LATENCY))).isEqualTo("payg-a");
    }

    @Test
    void leastUtilizationPrefersTheEmptierBackend() {
        ptu.coolUntil(clock.millis() + 60_000);
        paygA.observeQuota(1_000, 50, 30_000, -1, clock.millis());
        paygB.observeQuota(20_000, 50, 30_000, -1, clock.millis());
        assertThat(pickName(pool(Selection.LEAST_UTILIZATION))).isEqualTo("payg-b");
    }

    @Test
    void aFirstTierOnlyRequestWaitsForTheCoolingPtuInsteadOfSpilling() {
        ptu.coolUntil(clock.millis() + 5_000);
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        assertThat(pickName(pool)).startsWith("payg");
        assertThat(pool.pick(0, 100, clock.millis(), true)).isEqualTo(new Pick.Wait(clock.millis() + 5_000));
        clock.advance(Duration.ofSeconds(5));
        assertThat(((Pick.Go) pool.pick(0, 100, clock.millis(), true)).backend().name()).isEqualTo("ptu");
    }

    @Test
    void theFirstTierHasRoomOnlyUnderItsUtilizationLimitAndWhileNoInteractiveRequestWaits() {
        Pool pool = pool(Selection.PRIORITY_WEIGHT);
        assertThat(pool.firstTierHasRoom(clock.millis(), 0.9)).as("no reading yet").isTrue();
        ptu.observeQuota(-1, -1, -1, 95, clock.millis());
        assertThat(pool.firstTierHasRoom(clock.millis(), 0.9)).as("95%% busy").isFalse();
        ptu.observeQuota(-1, -1, -1, 40, clock.millis());
        assertThat(pool.firstTierHasRoom(clock.millis(), 0.9)).isTrue();
        pool.interactiveWaiting(1);
        assertThat(pool.firstTierHasRoom(clock.millis(), 0.9)).as("an interactive request waits").isFalse();
        pool.interactiveWaiting(-1);
        ptu.coolUntil(clock.millis() + 1_000);
        assertThat(pool.firstTierHasRoom(clock.millis(), 0.9)).as("PTU answered 429").isFalse();
    }
}
