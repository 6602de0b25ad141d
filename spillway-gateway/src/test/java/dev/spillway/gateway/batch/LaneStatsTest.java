package dev.spillway.gateway.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.gateway.testkit.FakeClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaneStatsTest {
    private final FakeClock clock = new FakeClock();
    private final LaneStats stats = new LaneStats(clock);

    @Test
    void ptuUtilizationIsAveragedSeparatelyWithAndWithoutQueuedWork() {
        assertThat(stats.ptuUtilizationWithQueuedWork()).isNaN();
        stats.ptuUtilization(50, false);
        stats.ptuUtilization(90, true);
        stats.ptuUtilization(100, true);
        assertThat(stats.ptuUtilizationWithoutQueuedWork()).isEqualTo(50);
        assertThat(stats.ptuUtilizationWithQueuedWork()).isCloseTo(91, within(1e-9));
    }

    @Test
    void theOldestLinesAgeFollowsTheClock() {
        assertThat(stats.oldestAgeSeconds()).isZero();
        stats.queue(new QueueStats(3, Optional.of(clock.instant())));
        clock.advance(Duration.ofSeconds(12));
        assertThat(stats.depth()).isEqualTo(3);
        assertThat(stats.oldestAgeSeconds()).isEqualTo(12.0);
    }
}
