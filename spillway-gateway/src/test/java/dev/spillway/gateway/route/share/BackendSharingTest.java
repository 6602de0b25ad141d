package dev.spillway.gateway.route.share;

import static dev.spillway.gateway.testkit.Fixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.gateway.route.pool.BackendState;
import dev.spillway.gateway.route.pool.BackendStates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas on an in-memory medium: what one learns reaches the other, once, and never goes stale. */
class BackendSharingTest {
    private final Vertx vertx = Vertx.vertx();
    private final FakeClock clock = new FakeClock();
    private final FakeFleet fleet = new FakeFleet();
    private final BackendStates statesA = states();
    private final BackendStates statesB = states();
    private final BackendSharing a = new BackendSharing(vertx, fleet.channel(), statesA, Duration.ofSeconds(60), clock);
    private final BackendSharing b = new BackendSharing(vertx, fleet.channel(), statesB, Duration.ofSeconds(60), clock);

    private BackendStates states() {
        return new BackendStates(List.of(backend("ptu", "")), RoutingConfig.DEFAULT, clock);
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void aCooldownReachesTheOtherReplicaAndIsNotAppliedBackToItsOrigin() {
        long now = clock.millis();
        statesA.get("ptu").throttled(now + 5_000, now);
        assertThat(statesB.get("ptu").coolingUntil()).as("held for the origin's trial")
                .isEqualTo(now + 5_000 + BackendSharing.HOLD_MS);
        assertThat(b.applied()).isEqualTo(1);
        assertThat(a.applied()).as("its own echo").isZero();
        assertThat(statesB.get("ptu").throttledCount()).as("only the receiver of the 429 counts it").isZero();
    }

    @Test
    void aCooldownFromAnotherReplicaLastsAtMostMaxCooldown() {
        long now = clock.millis();
        fleet.channel().publish(Learned.cooldown("skewed", "ptu", now, now + 3_600_000).encode());
        assertThat(statesA.get("ptu").coolingUntil()).isEqualTo(now + 60_000);
    }

    @Test
    void aQuotaReadingOlderThanWhatAReplicaKnowsIsIgnored() {
        long now = clock.millis();
        statesB.get("ptu").observeQuota(500, 5, 30_000, 97.0, now);
        statesA.get("ptu").observeQuota(9_000, 90, 30_000, 20.0, now - 100);
        assertThat(statesB.get("ptu").remainingTokens()).isEqualTo(500);
        assertThat(statesB.get("ptu").utilization()).isEqualTo(97.0);
        clock.advance(Duration.ofMillis(50));
        statesA.get("ptu").observeQuota(8_000, 80, 30_000, 40.0, clock.millis());
        assertThat(statesB.get("ptu").remainingTokens()).isEqualTo(8_000);
        assertThat(statesB.get("ptu").utilization()).isEqualTo(40.0);
    }

    @Test
    void quotaReadingsArePublishedAtMostEveryTenMillisecondsPerBackend() {
        BackendState ptu = statesA.get("ptu");
        for (int i = 0; i < 5; i++) ptu.observeQuota(1_000 - i, 10, 30_000, -1, clock.millis());
        assertThat(a.published()).isEqualTo(1);
        clock.advance(Duration.ofMillis(BackendSharing.QUOTA_EVERY_MS));
        ptu.observeQuota(900, 9, 30_000, -1, clock.millis());
        assertThat(a.published()).isEqualTo(2);
        assertThat(statesB.get("ptu").remainingTokens()).isEqualTo(900);
    }

    @Test
    void afterAFullReadingOnlyOneRequestAtATimeGoesToThePtuFleetWide() throws Exception {
        long now = clock.millis();
        statesA.get("ptu").observeQuota(-1, -1, -1, 99.0, now);
        clock.advance(Duration.ofSeconds(3)); // drained to 94 %: below the 95 % limit, one at a time
        BackendState onB = statesB.get("ptu");
        assertThat(onB.fits(10, clock.millis())).isTrue();

        statesA.get("ptu").dispatched(10, clock.millis());
        awaitTrue(() -> !onB.fits(10, clock.millis()));
        assertThat(onB.fleetInFlight(clock.millis())).isEqualTo(1);

        statesA.get("ptu").answered(1_000);
        awaitTrue(() -> onB.fits(10, clock.millis()));
        assertThat(onB.fleetInFlight(clock.millis())).isZero();
    }

    @Test
    void anInFlightCountNotRenewedForTwoSecondsNoLongerHoldsThePtu() {
        BackendState onB = statesB.get("ptu");
        onB.observeQuota(-1, -1, -1, 96.0, clock.millis());
        clock.advance(Duration.ofSeconds(1)); // 94.3 %
        fleet.channel().publish(Learned.inFlight("dead-replica", "ptu", clock.millis(), 1).encode());
        assertThat(onB.fits(10, clock.millis())).isFalse();
        clock.advance(Duration.ofMillis(BackendState.ELSEWHERE_TTL_MS));
        assertThat(onB.fits(10, clock.millis())).isTrue();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("not true within 5 s");
            Thread.sleep(5);
        }
    }

    @Test
    void aBreakerOpenedOnOneReplicaOpensOnTheOtherWithoutEchoingBack() {
        statesA.get("ptu").breaker().transitionToOpenState();
        assertThat(statesB.get("ptu").breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(a.published()).isEqualTo(1);
        assertThat(b.published()).as("an opening learned elsewhere is not published again").isZero();
    }

    @Test
    void onlyTheLeaseHolderProbesAndTheOthersApplyItsResults() {
        BackendState ptuA = statesA.get("ptu");
        assertThat(a.mayProbe(ptuA).await()).isTrue();
        assertThat(b.mayProbe(statesB.get("ptu")).await()).isFalse();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(5));
            a.probed(ptuA, false);
        }
        assertThat(statesB.get("ptu").healthy()).as("three failed probes, applied on B").isFalse();
        fleet.channel().publish(Learned.probe("old", "ptu", clock.millis() - 1_000, true).encode());
        fleet.channel().publish(Learned.probe("old", "ptu", clock.millis() - 500, true).encode());
        assertThat(statesB.get("ptu").healthy()).as("probe results older than the last one are ignored").isFalse();
    }

    @Test
    void aReplicaThatLosesTheMediumGoesAloneOnceProbesItselfAndRejoins() {
        fleet.up = false;
        statesA.get("ptu").throttled(clock.millis() + 1_000, clock.millis());
        statesA.get("ptu").throttled(clock.millis() + 2_000, clock.millis());
        a.check();
        assertThat(a.alone()).isTrue();
        assertThat(a.losses()).as("counted once for one outage").isEqualTo(1);
        assertThat(b.mayProbe(statesB.get("ptu")).await()).as("alone or not, a replica that cannot ask probes").isTrue();
        fleet.up = true;
        a.check();
        assertThat(a.alone()).isFalse();
        statesA.get("ptu").throttled(clock.millis() + 3_000, clock.millis());
        assertThat(statesB.get("ptu").coolingUntil()).isEqualTo(clock.millis() + 3_000 + BackendSharing.HOLD_MS);
    }

    @Test
    void theOriginOfACooldownTestsTheBackendOneRequestAtATimeAndReleasesTheOthersAfterTwoPass() {
        BackendState ptuA = statesA.get("ptu");
        long end = clock.millis() + 1_000;
        ptuA.throttled(end, clock.millis());
        clock.advance(Duration.ofMillis(1_001));
        assertThat(statesB.get("ptu").cooling(clock.millis())).as("B holds while A tries").isTrue();
        for (int i = 0; i < BackendSharing.TRIAL_SUCCESSES; i++) {
            assertThat(ptuA.trialBusy()).isFalse();
            ptuA.dispatched(10, clock.millis());
            assertThat(ptuA.trialBusy()).as("a second request goes elsewhere while one is on trial").isTrue();
            ptuA.answered(1_000);
            ptuA.succeeded();
        }
        assertThat(statesB.get("ptu").cooling(clock.millis())).as("released by A's RESUMED").isFalse();
        assertThat(statesB.get("ptu").coolingUntil()).isEqualTo(end);
        ptuA.dispatched(10, clock.millis());
        ptuA.dispatched(10, clock.millis());
        assertThat(ptuA.trialBusy()).as("after the trial, requests go in parallel again").isFalse();
    }

    @Test
    void aTrialThatMeetsAnother429StartsAgainAndTheOthersKeepHolding() {
        BackendState ptuA = statesA.get("ptu");
        ptuA.throttled(clock.millis() + 1_000, clock.millis());
        clock.advance(Duration.ofMillis(1_001));
        ptuA.dispatched(10, clock.millis());
        ptuA.answered(1_000);
        ptuA.succeeded();
        ptuA.dispatched(10, clock.millis());
        ptuA.answered(1_000);
        long end = clock.millis() + 1_100;
        ptuA.throttled(end, clock.millis());
        assertThat(statesB.get("ptu").coolingUntil()).isEqualTo(end + BackendSharing.HOLD_MS);
        ptuA.dispatched(10, clock.millis());
        assertThat(ptuA.trialBusy()).as("two successes in a row are needed again").isTrue();
    }

    @Test
    void aReplicaWithItsOwnLaterCooldownDoesNotHoldForAnEarlierOne() {
        long now = clock.millis();
        statesB.get("ptu").throttled(now + 2_000, now);
        statesA.get("ptu").throttled(now + 1_500, now);
        assertThat(statesB.get("ptu").coolingUntil()).as("B tries at its own end").isEqualTo(now + 2_000);
        assertThat(statesA.get("ptu").coolingUntil()).as("A held for B, whose end is later")
                .isEqualTo(now + 2_000 + BackendSharing.HOLD_MS);
    }

    @Test
    void aResumeReleasesOnlyTheHoldNotALaterCooldown() {
        long now = clock.millis();
        statesA.get("ptu").throttled(now + 1_000, now);
        fleet.channel().publish(Learned.cooldown("c", "ptu", now, now + 9_000).encode());
        fleet.channel().publish(Learned.resumed("a-replica-that-passed-late", "ptu", now + 1_200).encode());
        assertThat(statesB.get("ptu").coolingUntil()).as("C's hold was released to C's own end")
                .isEqualTo(now + 9_000);
    }

    @Test
    void messagesOfAnotherVersionOrShapeAreIgnored() {
        fleet.channel().publish("v2\tx\tCOOLDOWN\tptu\t1\t2\t0\t0\t0.0");
        fleet.channel().publish("v1\tx\tNOPE\tptu\t1\t2\t0\t0\t0.0");
        fleet.channel().publish(Learned.cooldown("x", "unknown-backend", 1, clock.millis() + 10).encode());
        assertThat(a.applied()).isZero();
        Learned m = Learned.quota("r", "ptu", 5, 1, 2, 3, 4.5);
        assertThat(Learned.decode(m.encode())).contains(m);
    }
}
