package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.ledger.UsageRecord;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The console's usage page and {@code spillway usage report} over one ledger: for every grouping and
 * format, the console's answer is byte for byte what the CLI prints (PTU split, nano-dollars and all).
 */
class ConsoleUsageMatchesCliTest {
    private static final String ADMIN = "usage-admin-key-0123456789abcdef";
    @TempDir
    Path dir;

    private Path ledgerAndConfig() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("spillway.db");
        List<UsageRecord> records = new ArrayList<>();
        String[][] who = {{"billing", "finance", "ann", "interactive"}, {"search", "web", "bob", "batch"},
                {"search", "web", "cy", "low"}, {"hr", "people", "dee", "interactive"}};
        for (int i = 0; i < 40; i++) {
            String[] w = who[i % who.length];
            String backend = i % 3 == 0 ? "payg" : "ptu";
            long in = 100 + 37L * i;
            long out = 10 + 11L * i;
            long cost = backend.equals("payg") ? in * 2500 + out * 10000 : 0;
            records.add(new UsageRecord("r-" + i, Instant.parse("2026-11-03T10:00:00Z").plusSeconds(3600L * i), w[0],
                    w[1], w[2], "sk-spw-" + w[0].charAt(0), i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini", backend, "eastus",
                    backend.equals("ptu") ? "gpt-4o-ptu" : "gpt-4o", in, out, 0, 0, false, cost, Optional.empty(),
                    Duration.ofMillis(9), 200, 1, false, false, "", w[3]));
        }
        records.add(new UsageRecord("r-dec", Instant.parse("2026-12-01T00:00:00Z"), "billing", "finance", "ann",
                "sk-spw-b", "gpt-4o", "payg", "eastus", "gpt-4o", 1, 1, 0, 0, false, 12500, Optional.empty(),
                Duration.ofMillis(9), 200, 1, false, false, ""));
        try (Database db = Database.open(url, Optional.empty(), Optional.empty(), 2)) {
            new JdbcUsageStore(db).insert(records);
        }
        Path config = dir.resolve("spillway.yaml");
        Files.writeString(config, """
                gateway:
                  port: 0
                  data-dir: "%s"
                  database: { url: "%s" }
                  admin: { key: "%s" }
                  backends:
                    - { name: ptu, url: "http://127.0.0.1:9", deployment: gpt-4o-ptu }
                    - { name: payg, url: "http://127.0.0.1:9", deployment: gpt-4o }
                  deployments: [ { name: gpt-4o, backends: [ptu, payg] } ]
                  prices:
                    - { backend: ptu, ptu-monthly-usd: 1234.56, ptu-monthly-tokens: 1000000 }
                    - { backend: payg, input-per-1m: 2.5, output-per-1m: 10 }
                """.formatted(dir, url, ADMIN));
        return config;
    }

    private String cli(Path config, String by, String format) {
        StringWriter out = new StringWriter();
        CommandLine cli = SpillwayCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("usage", "report", "--by", by, "--period", "2026-11", "--format", format,
                "--config", config.toString())).isZero();
        return out.toString();
    }

    /** What the test does with a signed-in admin console: its HTTP client and API base URL. */
    private interface Session {
        void run(HttpClient http, String base) throws Exception;
    }

    private static void withConsole(Path config, Session session) throws Exception {
        GatewayConfig gateway = GatewayConfig.from(ConfigLoader.read(config, Map.of()).child("gateway"));
        Vertx vertx = Vertx.vertx();
        try {
            GatewayServer server = GatewayServer.start(vertx, gateway, 1, java.time.Clock.systemUTC())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            String base = server.baseUrl() + "/ui/api/";
            HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create(base + "session"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + ADMIN + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signIn.statusCode()).isEqualTo(200);
            session.run(http, base);
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "team", "user", "deployment", "model", "priority"})
    void theConsoleShowsExactlyWhatTheCliReports(String by) throws Exception {
        Path config = ledgerAndConfig();
        withConsole(config, (http, base) -> {
            for (String format : new String[] {"csv", "json"}) {
                HttpResponse<String> page = get(http, base + "usage?by=" + by + "&period=2026-11&format=" + format);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).isEqualTo(cli(config, by, format));
            }
        });
        assertThat(Json.MAPPER.readTree(cli(config, by, "json")).path("total").path("requests").asLong())
                .as("December's record is not in November").isEqualTo(40);
    }

    @Test
    void theCsvDownloadIsNamedForItsMonthAndGrouping() throws Exception {
        withConsole(ledgerAndConfig(), (http, base) -> assertThat(get(http, base + "usage?by=team&period=2026-11&format=csv")
                .headers().firstValue("content-disposition")).contains("attachment; filename=\"usage-2026-11-by-team.csv\""));
    }
}
