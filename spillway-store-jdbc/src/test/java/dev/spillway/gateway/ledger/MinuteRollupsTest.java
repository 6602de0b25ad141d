package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import dev.spillway.gateway.route.pool.BackendStates;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory minute aggregation in front of a real SQLite rollup table. */
class MinuteRollupsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    @TempDir
    java.nio.file.Path dir;
    private Database db;
    private JdbcUsageStore store;
    private final FakeClock clock = new FakeClock(T0.plusSeconds(5));
    private final List<UsageRecord> passedOn = new ArrayList<>();
    private MinuteRollups rollups;

    @BeforeEach
    void open() {
        db = Database.open("jdbc:sqlite:" + dir.resolve("r.db"), Optional.empty(), Optional.empty(), 2);
        store = new JdbcUsageStore(db);
        rollups = new MinuteRollups(r -> {
            passedOn.add(r);
            return CompletableFuture.completedFuture(null);
        }, store, clock, Duration.ofDays(35));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static UsageRecord record(String id, String backend, int status, long in, long out, long cost) {
        return new UsageRecord(id, T0, "billing", "finance", "u", "sk-spw-ab", "gpt-4o", backend, "", "gpt-4o", in,
                out, 0, 0, false, cost, Optional.empty(), Duration.ofMillis(3), status, 1, false, false, "");
    }

    private List<RollupStore.UsageMinute> stored() throws Exception {
        return store.usage(T0.minusSeconds(3600), T0.plusSeconds(3600), 60_000);
    }

    @Test
    void recordsPassOnToTheLedgerAndCountInTheMinuteTheyFinish() throws Exception {
        rollups.append(record("1", "ptu", 200, 100, 20, 7));
        rollups.append(record("2", "ptu", 200, 10, 2, 3));
        rollups.append(record("3", "", 429, 0, 0, 0));

        assertThat(passedOn).extracting(UsageRecord::requestId).containsExactly("1", "2", "3");
        rollups.flush();
        assertThat(stored()).as("the current minute is not flushed yet").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        rollups.flush();
        assertThat(stored()).containsExactlyInAnyOrder(
                new RollupStore.UsageMinute(T0.toEpochMilli(), "", "", "", "ptu", 2, 110, 22, 10, 0),
                new RollupStore.UsageMinute(T0.toEpochMilli(), "", "", "", "", 1, 0, 0, 0, 1));
    }

    @Test
    void readersSeeEachMinuteOnceWhetherPendingOrStored() throws Exception {
        rollups.append(record("1", "ptu", 200, 100, 0, 1));
        long before = rollups.read((s, pending, b) -> pending.size() + (long) s.byKey(T0, T0.plusSeconds(60)).size());
        clock.advance(Duration.ofMinutes(1));
        rollups.flush();
        long after = rollups.read((s, pending, b) -> pending.size() + (long) s.byKey(T0, T0.plusSeconds(60)).size());

        assertThat(before).isEqualTo(1);
        assertThat(after).isEqualTo(1);
    }

    @Test
    void aFailedFlushKeepsItsMinutesForTheNextOne() throws Exception {
        rollups.append(record("1", "ptu", 200, 100, 0, 1));
        clock.advance(Duration.ofMinutes(1));
        db.close(); // the database goes away
        rollups.flush();
        long pending = rollups.read((s, p, b) -> (long) p.size());

        assertThat(pending).as("the minute is still pending after the failed write").isEqualTo(1);
    }

    @Test
    void backendCountersAreSampledAsDeltasAndUtilizationAsSamples() throws Exception {
        rollups.sample(List.of(snapshot(10, 1, 50.0))); // counted from 0, where the process started them
        rollups.sample(List.of(snapshot(25, 4, 70.0)));
        clock.advance(Duration.ofMinutes(1));
        rollups.sample(List.of(snapshot(31, 4, 90.0)));
        rollups.flush();

        assertThat(store.backends(T0, T0.plusSeconds(120), 60_000)).containsExactly(
                new RollupStore.BackendMinute(T0.toEpochMilli(), "ptu", 25, 4, 120.0, 2));
        clock.advance(Duration.ofMinutes(1));
        rollups.flush();
        assertThat(store.backends(T0.plusSeconds(60), T0.plusSeconds(120), 60_000)).containsExactly(
                new RollupStore.BackendMinute(T0.plusSeconds(60).toEpochMilli(), "ptu", 6, 0, 90.0, 1));
    }

    private static BackendStates.BackendSnapshot snapshot(long sent, long throttled, double utilization) {
        return new BackendStates.BackendSnapshot("ptu", "", true, Optional.empty(), "closed", OptionalLong.empty(),
                OptionalLong.empty(), OptionalDouble.of(utilization), Duration.ZERO, 0, sent, throttled, false);
    }
}
