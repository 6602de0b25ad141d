package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.DataSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolUsageLedgerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    private final FakeUsageSink sink = new FakeUsageSink();

    private LedgerConfig config(DataSize max, DataSize segment) {
        return new LedgerConfig(true, dir.resolve("spool"), max, segment, 10_000, 50,
                Duration.ofMillis(5), Duration.ofMillis(20), true, Duration.ofMillis(5), Durability.STRICT);
    }

    private LedgerConfig config() {
        return config(DataSize.ofMebibytes(64), DataSize.ofKibibytes(8));
    }

    private static void appendAll(SpoolUsageLedger ledger, int from, int to) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) acks.add(ledger.append(UsageRecords.of("r-" + i)).toCompletableFuture());
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "r-" + i).toList();
    }

    @Test
    void everyAcknowledgedRecordReachesTheDatabaseInOrderOnce() throws Exception {
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(), sink)) {
            appendAll(ledger, 0, 500);
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
            assertThat(sink.ids()).containsExactlyElementsOf(ids(0, 500));
            assertThat(sink.batchSizes()).allMatch(n -> n <= 50);
            assertThat(ledger.stats().stored()).isEqualTo(500);
        }
    }

    @Test
    void databaseOutageLosesNothingAndStoresNothingTwice() throws Exception {
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(), sink)) {
            appendAll(ledger, 0, 100);
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
            sink.down(true);
            appendAll(ledger, 100, 400);
            assertThat(ledger.awaitDrained(Duration.ofMillis(200))).isFalse();
            sink.down(false);
            appendAll(ledger, 400, 450);
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
            assertThat(sink.ids()).containsExactlyElementsOf(ids(0, 450));
            assertThat(ledger.stats().drainFailures()).isPositive();
        }
    }

    @Test
    void restartResumesFromTheCheckpointAndDeletesDrainedSegments() throws Exception {
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(), sink)) {
            sink.down(true);
            appendAll(ledger, 0, 300);
        }
        sink.down(false);
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(), sink)) {
            appendAll(ledger, 300, 310);
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
            assertThat(sink.ids()).containsExactlyElementsOf(ids(0, 310));
            try (var files = Files.list(dir.resolve("spool"))) {
                assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(1);
            }
        }
    }

    @Test
    void replayAfterALostCheckpointStoresNothingTwice() throws Exception {
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(DataSize.ofMebibytes(64), DataSize.ofMebibytes(1)), sink)) {
            appendAll(ledger, 0, 50);
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
        }
        Files.delete(dir.resolve("spool/drain.checkpoint"));
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(DataSize.ofMebibytes(64), DataSize.ofMebibytes(1)), sink)) {
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
            assertThat(sink.ids()).containsExactlyElementsOf(ids(0, 50));
            assertThat(ledger.stats().replayedDuplicates()).isEqualTo(50);
        }
    }

    @Test
    void aFullSpoolRefusesRecordsInsteadOfBlocking() throws Exception {
        sink.down(true);
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(DataSize.ofKibibytes(8), DataSize.ofKibibytes(8)), sink)) {
            appendAll(ledger, 0, 40);
            assertThatThrownBy(() -> ledger.append(UsageRecords.of("one-too-many")).toCompletableFuture().join())
                    .hasMessageContaining("spool is full");
        }
    }

    @Test
    void aSecondLedgerOnTheSameSpoolIsRefused() {
        try (SpoolUsageLedger first = new SpoolUsageLedger(config(), sink)) {
            assertThatThrownBy(() -> new SpoolUsageLedger(config(), sink))
                    .hasMessageContaining("is in use by another usage writer");
        }
    }

    @Test
    void aTornLineLeftByACrashIsSkippedAndTheRestDrains() throws Exception {
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(), sink)) {
            sink.down(true);
            appendAll(ledger, 0, 5);
        }
        Path segment;
        try (var files = Files.list(dir.resolve("spool"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).sorted().toList().getLast();
        }
        Files.writeString(segment, "{\"id\":\"torn", StandardOpenOption.APPEND);
        sink.down(false);
        try (SpoolUsageLedger ledger = new SpoolUsageLedger(config(), sink)) {
            appendAll(ledger, 5, 8);
            assertThat(ledger.awaitDrained(WAIT)).isTrue();
            assertThat(sink.ids()).containsExactlyElementsOf(ids(0, 8));
        }
    }
}
