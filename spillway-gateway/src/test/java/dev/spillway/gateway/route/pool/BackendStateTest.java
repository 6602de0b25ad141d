package dev.spillway.gateway.route.pool;

import dev.spillway.gateway.testkit.Fixtures;
import static dev.spillway.gateway.testkit.Fixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.config.RoutingConfig;
import dev.spillway.gateway.testkit.FakeClock;
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
