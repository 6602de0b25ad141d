package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.batch.BatchOwner;
import dev.spillway.gateway.batch.BatchRecord;
import dev.spillway.gateway.batch.BatchStatus;
import dev.spillway.gateway.batch.BatchStorage;
import dev.spillway.gateway.batch.Lease;
import dev.spillway.gateway.batch.LineState;
import dev.spillway.gateway.batch.QueuedLine;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.batch.JdbcBatchStorageProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BatchesCommandTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** A config whose database holds one batch of four lines, one of them answered. */
    private Path configWithBatch() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("spillway.db");
        try (BatchStorage s = JdbcBatchStorageProvider.of(Database.open(url, Optional.empty(), Optional.empty(), 2))) {
            BatchOwner owner = new BatchOwner("nightly-key", "reports", "finance", "", "sk-spw-abc", Optional.empty(),
                    Set.of(), false);
            s.store().insertBatch(new BatchRecord("batch_abc", owner, "/v1/chat/completions", "file-in", "24h", "null",
                    BatchStatus.VALIDATING, T0, T0.plus(Duration.ofHours(24)), Map.of(), Optional.empty(),
                    Optional.empty(), List.of(), Optional.empty()).moved(BatchStatus.IN_PROGRESS, T0.plusSeconds(2)));
            List<QueuedLine> lines = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                lines.add(new QueuedLine("batch_abc", i, "reports", "gpt-4o", "c" + i, "{}", T0, T0.plus(Duration.ofHours(24)),
                        Optional.empty()));
            }
            s.queue().enqueue(lines);
            Lease lease = s.queue().claim("reports", Set.of("gpt-4o"), 1, T0.plusSeconds(3), Duration.ofMinutes(5)).get(0);
            s.queue().finish(lease, LineState.SUCCEEDED, "{}", T0.plusSeconds(4));
        }
        Path config = dir.resolve("spillway.yaml");
        Files.writeString(config, "gateway:\n  database: {url: \"" + url + "\"}\n");
        return config;
    }

    @Test
    void listShowsEachBatchWithAProgressBar() throws Exception {
        assertThat(run("batches", "list", "--config", configWithBatch().toString())).isZero();
        assertThat(out.toString()).contains("batch_abc", "reports", "in_progress",
                "[######..................]  25% 1/4 ended, 0 failed");
    }

    @Test
    void showTellsOwnerProgressAndStatusTimes() throws Exception {
        assertThat(run("batches", "show", "batch_abc", "--config", configWithBatch().toString())).isZero();
        assertThat(out.toString()).contains("batch_abc  in_progress", "reports (team finance), key nightly-key",
                "1 answered, 0 failed, 3 waiting, 0 running", "in_progress 2026-12-07T10:00:02Z");
    }

    @Test
    void anUnknownBatchIsNamedInTheError() throws Exception {
        assertThat(run("batches", "show", "batch_nope", "--config", configWithBatch().toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no batch batch_nope");
    }
}
