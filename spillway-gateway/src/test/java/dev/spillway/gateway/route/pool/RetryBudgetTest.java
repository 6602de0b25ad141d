package dev.spillway.gateway.route.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.config.RoutingConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final RetryBudget budget = new RetryBudget(new RoutingConfig.RetryBudget(0.2, 2, Duration.ofSeconds(10)));
    private long now = 1_700_000_000_000L;

    private int retriesGranted(int attempts) {
        int granted = 0;
        for (int i = 0; i < attempts; i++) if (budget.tryRetry(now)) granted++;
        return granted;
    }

    @Test
    void retriesStayWithinTwentyPercentOfRequestsPlusTheMinimum() {
        for (int i = 0; i < 100; i++) budget.recordRequest(now);
        assertThat(retriesGranted(50)).isEqualTo(22);
    }

    @Test
    void withNoTrafficOnlyTheMinimumIsGranted() {
        assertThat(retriesGranted(10)).isEqualTo(2);
    }

    @Test
    void theBudgetRefillsOnceTheWindowHasPassed() {
        for (int i = 0; i < 10; i++) budget.recordRequest(now);
        assertThat(retriesGranted(10)).isEqualTo(4);
        now += 10_000;
        assertThat(retriesGranted(10)).isEqualTo(2);
    }
}
