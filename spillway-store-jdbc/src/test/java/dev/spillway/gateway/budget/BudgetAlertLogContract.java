package dev.spillway.gateway.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every budget-alert log must do; one subclass per database. */
abstract class BudgetAlertLogContract {
    static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    Database database;
    BudgetAlertLog log;

    abstract Database open() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        database = open();
        log = new JdbcUsageStore(database);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    static BudgetAlert alert(int percent, long spent) {
        return new BudgetAlert("chat", "2026-12", percent, "ops", spent, 50_000_000, T, 0);
    }

    @Test
    void aWarningIsRaisedOnceAndKeepsItsFirstSpend() throws Exception {
        assertThat(log.raise(alert(80, 40_000_000))).isTrue();
        assertThat(log.raise(alert(80, 45_000_000))).isFalse();
        assertThat(log.entries("2026-12")).singleElement().satisfies(e -> {
            assertThat(e.alert().spentMicroUsd()).isEqualTo(40_000_000);
            assertThat(e.state()).isEqualTo("pending");
        });
    }

    @Test
    void aLeasedWarningIsNotTakenAgainUntilTheLeaseEnds() throws Exception {
        log.raise(alert(50, 25_000_000));
        assertThat(log.takeDue(T, T.plusSeconds(20), 10)).hasSize(1);
        assertThat(log.takeDue(T.plusSeconds(19), T.plusSeconds(40), 10)).isEmpty();
        assertThat(log.takeDue(T.plusSeconds(20), T.plusSeconds(40), 10)).hasSize(1);
    }

    @Test
    void sentAndFailedWarningsAreNeverDueAgainAndARetryIsDueAtItsTime() throws Exception {
        log.raise(alert(50, 25_000_000));
        log.raise(alert(80, 40_000_000));
        log.raise(alert(100, 50_000_000));
        log.markSent(new BudgetAlert("chat", "2026-12", 50, "ops", 25_000_000, 50_000_000, T, 1), T);
        log.markFailed(new BudgetAlert("chat", "2026-12", 80, "ops", 40_000_000, 50_000_000, T, 1),
                Optional.empty(), "HTTP 404");
        log.markFailed(new BudgetAlert("chat", "2026-12", 100, "ops", 50_000_000, 50_000_000, T, 2),
                Optional.of(T.plusSeconds(30)), "HTTP 500");
        assertThat(log.takeDue(T.plusSeconds(29), T.plusSeconds(60), 10)).isEmpty();
        assertThat(log.takeDue(T.plusSeconds(30), T.plusSeconds(60), 10)).singleElement()
                .satisfies(a -> assertThat(a.attempts()).isEqualTo(2))
                .satisfies(a -> assertThat(a.thresholdPercent()).isEqualTo(100));
        assertThat(log.entries("2026-12")).extracting(BudgetAlertLog.Entry::state)
                .containsExactly("sent", "failed", "pending");
        assertThat(log.entries("2026-12").get(0).sentAt()).contains(T);
        assertThat(log.entries("2026-12").get(1).lastError()).contains("HTTP 404");
    }
}
