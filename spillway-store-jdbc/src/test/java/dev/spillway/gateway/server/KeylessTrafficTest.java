package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.audit.AuditVerifier;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.ledger.SpoolUsageLedger;
import dev.spillway.store.jdbc.Database;
import dev.spillway.store.jdbc.ledger.JdbcUsageStore;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 3: requests without a valid credential are counted, not stored. A gateway with
 * the ledger on and every app audited in full takes keyless and wrong-key requests with large
 * bodies; afterwards the ledger and the audit log hold only the one identified request.
 */
class KeylessTrafficTest {
    private static final String KEY = "sk-keyless-test-0123456789abcdef0123456789";
    private static final String PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    private static final int KEYLESS = 40;
    @TempDir
    Path data;
    private Vertx vertx;
    private FakeBackend backend;
    private GatewayServer gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        String yaml = """
                gateway:
                  port: 0
                  data-dir: "%s"
                  database: { url: "jdbc:sqlite:%s/spillway.db" }
                  keys: [ { name: good, key: "%s", app: good-app } ]
                  backends: [ { name: primary, url: "%s", deployment: gpt-4o } ]
                  deployments: [ { name: gpt-4o, backends: [primary] } ]
                  audit: { mode: full }
                """.formatted(data, data, KEY, backend.url());
        GatewayConfig config = Yaml.gateway(yaml);
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC()).toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> chat(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void keylessAndWrongKeyRequestsAreCountedButNeitherLedgeredNorAudited() throws Exception {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(256 * 1024) + "\"}]}";
        for (int i = 0; i < KEYLESS; i++) {
            HttpResponse<String> r = i % 2 == 0 ? chat(big) : chat(big, "api-key", "sk-wrong-" + i);
            assertThat(r.statusCode()).isEqualTo(401);
        }
        HttpResponse<String> good = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "api-key", KEY);
        assertThat(good.statusCode()).isEqualTo(200);
        String id = good.headers().firstValue("x-spillway-request-id").orElseThrow();

        assertThat(ledgerRowsAfter(id)).isEqualTo(1);
        assertThat(auditRecordsAfter(1)).isEqualTo(1);
        assertThat(bytesUnder(data.resolve("audit"))).isLessThan(256 * 1024);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("spillway_rejected_total{reason=\"unauthenticated\"} " + KEYLESS + ".0");
    }

    /** All ledger rows, once the good request's row is in (the spool drains in order). */
    private long ledgerRowsAfter(String requestId) throws Exception {
        SpoolUsageLedger spool = (SpoolUsageLedger) gateway.accounting().ledger();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("spillway.db"), Optional.empty(),
                Optional.empty(), 2)) {
            JdbcUsageStore store = new JdbcUsageStore(db);
            for (int i = 0; i < 200 && store.find(requestId).isEmpty(); i++) {
                assertThat(spool.awaitDrained(Duration.ofSeconds(10))).isTrue();
                Thread.sleep(25); // the record is appended just after the response is written
            }
            return store.grandTotal(Instant.EPOCH, Instant.now().plusSeconds(3600)).requests();
        }
    }

    private long auditRecordsAfter(long expected) throws Exception {
        long records = 0;
        for (int i = 0; i < 200 && records < expected; i++) {
            records = AuditVerifier.verify(data.resolve("audit")).records();
            Thread.sleep(25); // written by the chain writer after the response completed
        }
        return records;
    }

    private static long bytesUnder(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
