package dev.spillway.gateway.route.pool;

import static dev.spillway.gateway.testkit.Fixtures.backend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.config.RoutingConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A config reload reconciles the backends' states: what was learned about a kept backend survives. */
class BackendStatesTest {
    private final FakeClock clock = new FakeClock();
    private final BackendStates states = new BackendStates(List.of(backend("a", ""), backend("b", "")),
            RoutingConfig.DEFAULT, clock);

    @Test
    void aKeptBackendKeepsItsCooldownHealthReadingsAndDrainAcrossAReload() {
        BackendState a = states.get("a");
        a.throttled(clock.millis() + 30_000, clock.millis());
        for (int i = 0; i < 3; i++) a.failed();
        a.observeQuota(1_000, 10, 30_000, 70, clock.millis());
        a.drained(true);
        states.reconcile(List.of(backend("a", "eu"), backend("c", "")), RoutingConfig.DEFAULT);
        BackendState after = states.get("a");
        assertThat(after).isNotSameAs(a);
        assertThat(after.config().region()).isEqualTo("eu");
        assertThat(after.cooling(clock.millis() + 29_000)).isTrue();
        assertThat(after.healthy()).isFalse();
        assertThat(after.remainingTokens()).isEqualTo(1_000);
        assertThat(after.utilization()).isEqualTo(70);
        assertThat(after.drained()).isTrue();
        assertThat(after.throttledCount()).isEqualTo(1);
    }

    @Test
    void anOpenBreakerStaysOpenUntilItsOpenForHasPassed() {
        BackendState a = states.get("a");
        long opened = clock.millis();
        a.breaker().transitionToOpenState();
        clock.advance(Duration.ofSeconds(5));
        states.reconcile(List.of(backend("a", "")), RoutingConfig.DEFAULT);
        BackendState after = states.get("a");
        assertThat(after.breakerClosed()).isFalse();
        long openFor = RoutingConfig.DEFAULT.breaker().openFor().toMillis();
        assertThat(after.breakerAdmits(opened + openFor - 1)).isFalse();
        assertThat(after.breakerAdmits(opened + openFor + 1)).isTrue();
    }

    @Test
    void aRemovedBackendIsForgottenAndANewOneStartsFresh() {
        states.get("b").throttled(clock.millis() + 30_000, clock.millis());
        List<BackendState> replaced = states.reconcile(List.of(backend("a", ""), backend("c", "")),
                RoutingConfig.DEFAULT);
        assertThat(replaced).extracting(BackendState::name).containsExactly("a", "b");
        assertThatThrownBy(() -> states.get("b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(states.get("c").cooling(clock.millis())).isFalse();
        assertThat(states.snapshot()).extracting(BackendStates.BackendSnapshot::name).containsExactly("a", "c");
    }
}
