package dev.spillway.gateway.ledger;

import dev.spillway.store.jdbc.PostgresSchema;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.DataSize;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Battery R9 in miniature: the real PostgreSQL is taken away (through a TCP proxy we kill; the
 * server itself keeps running) while requests keep finishing, then comes back.
 */
class PostgresOutageTest {
    private static final int PER_PHASE = 1000;
    @TempDir
    Path dir;

    @Test
    void takingPostgresAwayUnderLoadLosesNoRecordAndDuplicatesNone() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create();
             TcpProxy proxy = new TcpProxy(5432);
             Database db = Database.open(schema.url("127.0.0.1:" + proxy.port()), Optional.empty(), Optional.empty(), 2, Duration.ofSeconds(1));
             SpoolUsageLedger ledger = new SpoolUsageLedger(config(), new JdbcUsageStore(db)::insert)) {
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            produce(ledger, 0, acks);
            proxy.kill();
            produce(ledger, 1, acks);
            awaitFailure(ledger, acks);
            produce(ledger, 2, acks);
            proxy.start();
            produce(ledger, 3, acks);
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

            assertThat(ledger.awaitDrained(Duration.ofSeconds(60))).as("drained after the outage").isTrue();
            JdbcUsageStore direct = new JdbcUsageStore(db);
            assertThat(direct.countStored("out-")).isEqualTo(4L * PER_PHASE);
            SpoolUsageLedger.Stats stats = ledger.stats();
            assertThat(stats.stored()).as("rows inserted fresh").isEqualTo(4L * PER_PHASE);
            assertThat(stats.drainFailures()).isPositive();
            System.out.printf("R9 mini: produced=%d stored=%d replayed-duplicates-ignored=%d drain-failures=%d%n",
                    4 * PER_PHASE, direct.countStored("out-"), stats.replayedDuplicates(), stats.drainFailures());
        }
    }

    private LedgerConfig config() {
        return new LedgerConfig(true, dir.resolve("spool"), DataSize.ofMebibytes(64), DataSize.ofKibibytes(64),
                100_000, 200, Duration.ofMillis(50), Duration.ofMillis(400), true,
                LedgerConfig.DEFAULT_COMMIT_INTERVAL, Durability.STRICT);
    }

    private static void produce(SpoolUsageLedger ledger, int phase, List<CompletableFuture<Void>> acks) {
        for (int i = 0; i < PER_PHASE; i++) {
            acks.add(ledger.append(UsageRecords.of("out-" + phase + "-" + i)).toCompletableFuture());
        }
    }

    /** Waits (bounded) until the records so far are spooled and the drainer has seen the database fail. */
    private static void awaitFailure(SpoolUsageLedger ledger, List<CompletableFuture<Void>> acks)
            throws InterruptedException {
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        assertThat(ledger.awaitDrained(Duration.ofSeconds(3))).as("cannot drain while the database is away").isFalse();
        assertThat(ledger.stats().drainFailures()).as("the outage was noticed").isPositive();
    }
}
