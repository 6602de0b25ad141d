package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContributionJournalTest {
    private final Instant t0 = Instant.parse("2026-11-21T10:15:10Z");
    private final ContributionJournal journal = new ContributionJournal();

    @Test
    void holdsThatWereNeverSettledAreDroppedOnceExpiredSoTheJournalStaysBounded() {
        ContributionJournal.Entry e = journal.entry("c", t0.plus(Duration.ofMinutes(10)));
        for (int i = 0; i < 1_000; i++) {
            Instant now = t0.plusSeconds(i);
            e.hold("r" + i, 10, now, now.plusSeconds(5));
        }
        assertThat(e.holds()).isLessThan(2 * ContributionJournal.MIN_PRUNE_AT);
        assertThat(e.snapshot(t0.plusSeconds(999)).holds()).hasSize(5);
    }

    @Test
    void aSettleTurnsTheHoldIntoUsage() {
        ContributionJournal.Entry e = journal.entry("c", t0.plus(Duration.ofMinutes(1)));
        e.hold("r1", 72, t0, t0.plusSeconds(300));
        e.consume(1);
        e.settle("r1", 30);
        ContributionJournal.Snapshot s = e.snapshot(t0);
        assertThat(s.used()).isEqualTo(31);
        assertThat(s.holds()).isEmpty();
        assertThat(journal.contributed("c", t0)).isTrue();
        assertThat(journal.contributed("c", t0.plus(Duration.ofMinutes(1)))).as("its key has expired").isFalse();
    }
}
