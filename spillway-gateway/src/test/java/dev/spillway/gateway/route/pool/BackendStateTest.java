package dev.spillway.gateway.route.pool;

import static dev.spillway.gateway.testkit.Fixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.testkit.Fixtures;
import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.route.breaker.Breakers;
import org.junit.jupiter.api.Test;

class BackendStateTest {
    private final FakeClock clock = new FakeClock();
    private final BackendState state = new BackendState(backend("a", ""),
            Breakers.create("a", RoutingConfig.DEFAULT.breaker(), clock), RoutingConfig.DEFAULT, clock);

    @Test
    void threeFailuresInARowEjectTheBackend() {
        state.failed();
        state.failed();
        assertThat(state.healthy()).isTrue();
        state.failed();
        assertThat(state.healthy()).isFalse();
    }

    @Test
    void aSuccessInBetweenResetsTheFailureCount() {
        state.failed();
        state.failed();
        state.succeeded();
        state.failed();
        assertThat(state.healthy()).isTrue();
    }

    @Test
    void twoGoodProbesInARowBringAnEjectedBackendBack() {
        for (int i = 0; i < 3; i++) state.probed(false);
        assertThat(state.healthy()).isFalse();
        state.probed(true);
        assertThat(state.healthy()).isFalse();
        state.probed(true);
        assertThat(state.healthy()).isTrue();
    }

    @Test
    void aFailedProbeInBetweenStartsTheCountAgain() {
        for (int i = 0; i < 3; i++) state.probed(false);
        state.probed(true);
        state.probed(false);
        state.probed(true);
        assertThat(state.healthy()).isFalse();
    }

    @Test
    void untilItsFirstAnswerABackendTakesOneRequestAtATime() {
        assertThat(state.fits(10, clock.millis())).isTrue();
        state.dispatched(10, clock.millis());
        assertThat(state.fits(10, clock.millis())).as("slow start").isFalse();
        state.answered(1_000);
        state.dispatched(10, clock.millis());
        assertThat(state.fits(10, clock.millis())).as("answered once: no more slow start").isTrue();
    }

    @Test
    void aLoneRequestTeachesWhatOneRequestAddsAndInFlightRequestsCountTowardTheLimit() {
        state.dispatched(100, clock.millis()); // alone, before any reading
        state.observeQuota(-1, -1, -1, 2.0, clock.millis());
        state.answered(1_000);
        assertThat(state.perRequest()).isEqualTo(2.0);

        state.observeQuota(-1, -1, -1, 80.0, clock.millis());
        for (int i = 0; i < 7; i++) state.dispatched(100, clock.millis()); // 80 % + 7 x 2 % = 94 %
        assertThat(state.fits(100, clock.millis())).isTrue();
        state.dispatched(100, clock.millis()); // 96 % once these are admitted
        assertThat(state.fits(100, clock.millis())).as("the requests in flight would fill it").isFalse();
    }

    @Test
    void onlyTheFirstReadingAfterALoneRequestIsLearnedFrom() {
        state.observeQuota(-1, -1, -1, 10.0, clock.millis());
        state.dispatched(100, clock.millis());
        state.observeQuota(-1, -1, -1, 13.0, clock.millis());
        state.dispatched(100, clock.millis());
        state.dispatched(100, clock.millis());
        state.observeQuota(-1, -1, -1, 30.0, clock.millis());
        assertThat(state.perRequest()).isEqualTo(3.0);
    }

    @Test
    void freshHeadersReplaceTheLocalDebit() {
        state.observeQuota(1_000, 10, 30_000, -1, clock.millis());
        state.dispatched(900, clock.millis());
        assertThat(state.fits(500, clock.millis())).isFalse();
        state.observeQuota(5_000, 9, 30_000, -1, clock.millis());
        assertThat(state.fits(500, clock.millis())).isTrue();
    }

    @Test
    void noRequestsLeftMeansItDoesNotFit() {
        state.observeQuota(50_000, 0, 60_000, -1, clock.millis());
        assertThat(state.fits(1, clock.millis())).isFalse();
    }
}
