package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import dev.spillway.gateway.ledger.UsageRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UsageCommandTest {
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

    private Path configWithLedger() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("spillway.db");
        try (Database db = Database.open(url, Optional.empty(), Optional.empty(), 4)) {
            new JdbcUsageStore(db).insert(List.of(
                    record("1", "billing", 1000, 100), record("2", "billing", 500, 50), record("3", "search", 10, 1),
                    cacheHit("4", "billing", 5_250_000L)));
        }
        Path config = dir.resolve("spillway.yaml");
        Files.writeString(config, """
                gateway:
                  database: {url: "%s"}
                  prices:
                    - {backend: b, input-per-1m: 2.5, output-per-1m: 10}
                """.formatted(url));
        return config;
    }

    private static UsageRecord record(String id, String app, long in, long outTokens) {
        long cost = in * 2500 + outTokens * 10000;
        return new UsageRecord(id, Instant.parse("2026-11-03T10:00:00Z"), app, "team", "user", "sk-spw-ab", "gpt-4o",
                "b", "eastus", "gpt-4o", in, outTokens, 0, 0, false, cost, Optional.empty(), Duration.ofMillis(5),
                200, 1, false, false, "");
    }

    /** A request the response cache answered: no backend tokens, no cost, what it saved. */
    private static UsageRecord cacheHit(String id, String app, long savedNanos) {
        return new UsageRecord(id, Instant.parse("2026-11-03T10:00:00Z"), app, "team", "user", "sk-spw-ab", "gpt-4o",
                "", "", "", 0, 0, 0, 0, false, 0, Optional.empty(), Duration.ofMillis(1), 200, 0, false, true, "",
                "interactive", 0, "", savedNanos);
    }

    @Test
    void reportByAppAsCsvListsEachAppAndTheExactTotal() throws Exception {
        Path config = configWithLedger();
        assertThat(run("usage", "report", "--by", "app", "--period", "2026-11", "--format", "csv",
                "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("""
                key,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,batch_tokens,metered_cost_usd,ptu_cost_usd,cost_usd,batch_discount_usd,blocked,redacted,cache_hits,saved_usd
                billing,3,1500,150,0,0,0,0.005250000,0.000000000,0.005250000,0.000000000,0,0,1,0.005250000
                search,1,10,1,0,0,0,0.000035000,0.000000000,0.000035000,0.000000000,0,0,0,0.000000000
                total,4,1510,151,0,0,0,0.005285000,0.000000000,0.005285000,0.000000000,0,0,1,0.005250000
                """);
    }

    @Test
    void unknownGroupingIsAUsageErrorThatNamesTheChoices() throws Exception {
        assertThat(run("usage", "report", "--by", "region", "--period", "2026-11", "--config",
                configWithLedger().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("app, team, user, deployment, model");
    }

    @Test
    void invalidConfigIsReportedWithItsPath() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "gateway:\n  database: {url: \"jdbc:mysql://x\"}\n");
        assertThat(run("usage", "report", "--period", "2026-11", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("gateway.database.url: must start with jdbc:sqlite: or jdbc:postgresql:");
    }
}
