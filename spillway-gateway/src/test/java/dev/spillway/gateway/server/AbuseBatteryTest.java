package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.core.net.ConnectionGuard;
import dev.spillway.core.net.ListenerLimits;
import dev.spillway.gateway.audit.AuditReader;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import dev.spillway.gateway.testkit.FakeBackend;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The abuse battery (issue 10, docs/security.md): each attack that once hurt a gateway, and the
 * ones that held, rerun against a real gateway on loopback port 0 with small limits so every case
 * is bounded (at most 150 connections, a few MiB, a few seconds). Keyless traffic against the
 * ledger is in spillway-store-jdbc's KeylessTrafficTest; JWT attacks in JwtVerifierTest and
 * JwtGatewayTest; deep JSON, invalid UTF-8 and oversized bodies in GatewayServerTest.
 */
class AbuseBatteryTest {
    static final String KEY = "battery-key-0123456789abcdef0123456789";
    static final String PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final List<GatewayServer> gateways = new ArrayList<>();
    final List<RawClient> raw = new ArrayList<>();
    Vertx vertx;
    FakeBackend backend;
    GatewayServer gateway;

    @TempDir
    Path data;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        gateway = gateway(LIMITS.formatted("1s"));
    }

    /** Small limits, so each case stays small; the minimum body rate's grace is the parameter. */
    static final String LIMITS = """
              max-body-size: 128KiB
              max-in-flight-bytes: 256KiB
              body-timeout: 10s
              min-body-rate: 1KiB
              min-body-rate-grace: %s
              listener: { header-timeout: 1s, keep-alive-timeout: 3s, max-connections: 400, max-connections-per-ip: 300 }
              audit: { mode: metadata }
            """;

    GatewayServer gateway(String extra) throws Exception {
        String yaml = "gateway:\n  port: 0\n  data-dir: \"" + data.resolve("g" + gateways.size()) + "\"\n" + extra + """
                  keys: [ { name: battery, key: "%s", app: battery } ]
                  backends: [ { name: b, url: "%s", deployment: up } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                """.formatted(KEY, backend.url());
        GatewayConfig config = Yaml.gateway(yaml);
        GatewayServer g = GatewayServer.start(vertx, config, 1, Clock.systemUTC()).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateways.add(g);
        return g;
    }

    @AfterEach
    void stop() throws Exception {
        http.close(); // its idle keep-alive connections would hold each gateway's graceful close
        for (RawClient c : raw) c.close();
        for (GatewayServer g : gateways) g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    RawClient connect(GatewayServer g, String from) throws IOException {
        RawClient c = new RawClient(g.port(), from);
        raw.add(c);
        return c;
    }

    static String head(String key, long contentLength) {
        return "POST " + PATH + " HTTP/1.1\r\nhost: x\r\n" + (key.isEmpty() ? "" : "api-key: " + key + "\r\n")
                + "content-type: application/json\r\ncontent-length: " + contentLength + "\r\n\r\n";
    }

    HttpResponse<String> post(GatewayServer g, String pathAndQuery, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String metrics(GatewayServer g) throws Exception {
        return get(g.baseUrl() + "/metrics").body();
    }

    // 1. Heap exhaustion without a key.

    @Test
    void keylessConnectionsWithHalfSentBodiesGet401AtOnceAndNoBodyIsBuffered() throws Exception {
        byte[] half = new byte[64 * 1024];
        Arrays.fill(half, (byte) 'x');
        List<RawClient> attackers = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            RawClient c = connect(gateway, "127.0.0.1");
            c.send(head(i % 2 == 0 ? "" : "sk-wrong-" + i, 120 * 1024)).send(half);
            attackers.add(c);
        }
        for (RawClient c : attackers) assertThat(c.readHead(5000)).startsWith("HTTP/1.1 401");
        assertThat(metrics(gateway)).contains("spillway_request_bodies_in_flight_bytes 0.0");
        assertThat(post(gateway, PATH, CHAT, "api-key", KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void theKeyAdminApiRefusesACallerWithoutTheAdminKeyBeforeReadingItsBody() throws Exception {
        GatewayServer admin = gateway("  admin: { key: \"admin-key-0123456789abcdef0123456789\" }\n");
        for (String key : List.of("", "not-the-admin-key")) {
            RawClient c = connect(admin, "127.0.0.1").send("POST /admin/keys HTTP/1.1\r\nhost: x\r\n"
                    + (key.isEmpty() ? "" : "api-key: " + key + "\r\n") + "content-length: 60000\r\n\r\n{\"name\":");
            assertThat(c.readHead(5000)).as(key).matches("(?s)HTTP/1.1 40[13] .*").doesNotContain("<still open>");
        }
        RawClient huge = connect(admin, "127.0.0.1").send("POST /admin/keys HTTP/1.1\r\nhost: x\r\n"
                + "api-key: admin-key-0123456789abcdef0123456789\r\ncontent-length: 1000000000\r\n\r\n{");
        assertThat(huge.readHead(5000)).startsWith("HTTP/1.1 413").doesNotContain("<still open>");
    }

    @Test
    void bodiesOverTheGatewayWideBudgetGet503WithRetryAfterAndTheBudgetIsGivenBack() throws Exception {
        gateway = gateway(LIMITS.formatted("30s")); // the stalled bodies must not meet the rate check
        RawClient first = connect(gateway, "127.0.0.1").send(head(KEY, 128 * 1024)).send("{\"messages\":");
        RawClient second = connect(gateway, "127.0.0.1").send(head(KEY, 128 * 1024)).send("{\"messages\":");
        awaitMetric(gateway, "spillway_request_bodies_in_flight_bytes 262144.0");
        HttpResponse<String> refused = post(gateway, PATH, CHAT, "api-key", KEY);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(refused.body()).contains("\"code\":\"server_busy\"").contains("max-in-flight-bytes");
        first.close();
        second.close();
        awaitMetric(gateway, "spillway_request_bodies_in_flight_bytes 0.0");
        assertThat(post(gateway, PATH, CHAT, "api-key", KEY).statusCode()).isEqualTo(200);
    }

    void awaitMetric(GatewayServer g, String line) throws Exception {
        String text = "";
        for (int i = 0; i < 100 && !text.contains(line); i++) {
            text = metrics(g);
            if (!text.contains(line)) Thread.sleep(50);
        }
        assertThat(text).contains(line);
    }

    // 2. Connection exhaustion.

    @Test
    void headersDrippedPastTheHeaderTimeoutCloseTheConnection() throws Exception {
        RawClient c = connect(gateway, "127.0.0.1").send("POST " + PATH + " HTTP/1.1\r\nhost: x\r\n");
        try {
            for (int i = 0; i < 10; i++) {
                Thread.sleep(250); // each byte would have reset an idle timer
                c.send("x-drip-" + i + ": 1\r\n");
            }
        } catch (IOException closedByTheServer) {
            // expected: the header timeout closed the connection while it dripped
        }
        assertThat(c.readUntilClosed(2000)).doesNotContain("<still open>");
        assertThat(metrics(gateway)).contains("spillway_connections_header_timeouts 1.0");
    }

    @Test
    void anIdleKeepAliveConnectionMustSendItsNextHeadersWithinTheKeepAliveTimeout() throws Exception {
        RawClient c = connect(gateway, "127.0.0.1").send("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
        assertThat(c.readHead(2000)).startsWith("HTTP/1.1 200");
        c.send("GET /healthz HTTP/1.1\r\nhost: x\r\n");
        try {
            for (int i = 0; i < 16; i++) {
                Thread.sleep(250);
                c.send("x-drip-" + i + ": 1\r\n");
            }
        } catch (IOException closedByTheServer) {
            // expected
        }
        assertThat(c.readUntilClosed(2000)).doesNotContain("<still open>").doesNotContain("HTTP/1.1 200");
    }

    @Test
    void aRequestServedPastTheHeaderTimeoutKeepsItsConnectionWhichThenGetsTheKeepAliveTimeout() throws Exception {
        // The header timer (1 s) fires while the backend takes 1.5 s: the connection stays, and the
        // response's end starts the keep-alive deadline (3 s), which then closes the idle connection.
        backend.responder = (req, body) -> vertx.setTimer(1500, t -> req.response()
                .putHeader("content-type", "application/json").end("{\"usage\":{\"prompt_tokens\":1,"
                        + "\"completion_tokens\":1,\"total_tokens\":2}}"));
        try {
            RawClient c = connect(gateway, "127.0.0.1").send(head(KEY, CHAT.length()) + CHAT);
            String answer = c.readUntilClosed(6000);
            assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("<still open>");
        } finally {
            backend.responder = null;
        }
    }

    @Test
    void connectionsOverTheAddressOrListenerCapAreClosedAndTheHealthListenerStillAnswers() throws Exception {
        GatewayServer capped = gateway("""
                  health-port: 0
                  listener: { max-connections: 4, max-connections-per-ip: 2 }
                """);
        for (String from : List.of("127.0.0.1", "127.0.0.1", "127.0.0.2", "127.0.0.2")) {
            assertThat(connect(capped, from).send("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").readHead(2000))
                    .as(from).startsWith("HTTP/1.1 200");
        }
        assertThat(connect(capped, "127.0.0.1").send("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").readUntilClosed(2000))
                .as("third from one address").isEmpty();
        assertThat(connect(capped, "127.0.0.3").send("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").readUntilClosed(2000))
                .as("fifth on the listener").isEmpty();
        HttpResponse<String> probe = get("http://127.0.0.1:" + capped.healthPort() + "/readyz");
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(get("http://127.0.0.1:" + capped.healthPort() + "/v1/models").statusCode()).isEqualTo(404);
        assertThat(metrics(gateway)).contains("spillway_connections_open");
    }

    @Test
    void aListenerAllowedMoreConnectionsThanTheFileLimitIsRefusedAtStartSayingWhatToRaise() {
        ListenerLimits huge = new ListenerLimits(Duration.ofSeconds(10), Duration.ofSeconds(120), 2_000_000_000, 256);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConnectionGuard.checkDescriptors("gateway", huge))
                .hasMessageContaining("raise the limit to at least 2000001024")
                .hasMessageContaining("ulimit -n").hasMessageContaining("lower gateway.listener.max-connections");
    }

    @Test
    void aBodySlowerThanTheMinimumRateGets408BeforeTheBodyTimeout() throws Exception {
        RawClient slow = connect(gateway, "127.0.0.1").send(head(KEY, 100_000)).send("{\"messages\":");
        String answer = slow.readUntilClosed(6000);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("minimum of 1024 bytes/s");
    }

    // 4. Nothing unescaped upstream.

    @ParameterizedTest
    @ValueSource(strings = {"2024-10-21%0d", "2024-10-21%0aX-Injected:%20yes", "2024-10-21%0d%0aHost:%20evil",
            "2024-10-21%26api-key%3Dstolen", "2024-10-21%23frag", "2024-10-21%25", "2024-10-21%2f..%2fadmin", "..",
            "2024-10-21%00", "%2e%2e"})
    void apiVersionsThatCouldSplitOrExtendTheBackendUrlAre400AndReachNoBackend(String version) throws Exception {
        HttpResponse<String> r = post(gateway, "/openai/deployments/gpt-4o/chat/completions?api-version=" + version,
                CHAT, "api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid_api_version");
        assertThat(backend.received).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o%0d", "gpt-4o%0a", "gpt-4o%26x%3D1", "gpt-4o%23", "gpt-4o%25", "gpt-4o%2f..%2fadmin", "..",
            "gpt-4o%00"})
    void deploymentNamesInThePathOnlySelectAConfiguredDeploymentAndNeverReachTheBackend(String alias) throws Exception {
        HttpResponse<String> r = post(gateway, "/openai/deployments/" + alias + "/chat/completions?api-version=2024-10-21",
                CHAT, "api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(backend.received).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o\\r", "gpt-4o\\n", "gpt-4o&x=1", "gpt-4o#", "gpt-4o%", "gpt-4o/../admin", "..", "gpt-4o\\u0000"})
    void modelNamesInTheBodyOnlySelectAConfiguredDeploymentAndNeverReachTheBackend(String model) throws Exception {
        HttpResponse<String> r = post(gateway, "/v1/chat/completions", "{\"model\":\"" + model + "\"," + CHAT.substring(1),
                "api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("DeploymentNotFound");
        assertThat(backend.received).isEmpty();
    }

    @Test
    void extraQueryParametersAndRawAmpersandsNeverReachTheBackend() throws Exception {
        HttpResponse<String> r = post(gateway, PATH + "&api-key=stolen&x=%0d%0a", CHAT, "api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(backend.last().uri()).isEqualTo("/openai/deployments/up/chat/completions?api-version=2024-10-21");
    }

    @Test
    void aForwardedHeaderValueWithAControlCharacterIs400AndReachesNoBackend() throws Exception {
        // Held before issue 10: Netty's header validation refuses these before any of our code runs.
        for (String value : List.of("a\u0001b", "a\u0000b", "a\u007fb")) {
            RawClient c = connect(gateway, "127.0.0.1");
            c.send((head(KEY, CHAT.length()).replace("\r\n\r\n", "\r\nx-custom: " + value + "\r\n\r\n") + CHAT)
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.readHead(3000)).as(value).startsWith("HTTP/1.1 400");
        }
        assertThat(backend.received).isEmpty();
    }

    @Test
    void simulatorSteeringHeadersFromClientsAreRemovedUnlessForwardingIsConfigured() throws Exception {
        assertThat(post(gateway, PATH, CHAT, "api-key", KEY, "x-sim-fault", "stall", "x-sim-status", "429")
                .statusCode()).isEqualTo(200);
        assertThat(backend.last().headers().names()).noneMatch(n -> n.toLowerCase().startsWith("x-sim-"));
        GatewayServer forwarding = gateway("  forward-sim-headers: true\n");
        assertThat(post(forwarding, PATH, CHAT, "api-key", KEY, "x-sim-latency-ms", "0").statusCode()).isEqualTo(200);
        assertThat(backend.last().headers().get("x-sim-latency-ms")).isEqualTo("0");
    }

    // 8. The smaller items.

    @Test
    void overlongAndSurrogateUtf8Is400() throws Exception {
        for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8));
            body.writeBytes(bad);
            body.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH))
                    .header("api-key", KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("not valid UTF-8");
        }
        assertThat(backend.received).isEmpty();
    }

    @Test
    void anHttp11RequestWithoutHostIs400AndHttp10MayOmitIt() throws Exception {
        assertThat(connect(gateway, "127.0.0.1").send("GET /healthz HTTP/1.1\r\n\r\n").readHead(2000))
                .startsWith("HTTP/1.1 400");
        assertThat(connect(gateway, "127.0.0.1").send("GET /healthz HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n").readHead(2000))
                .startsWith("HTTP/1.1 400");
        assertThat(connect(gateway, "127.0.0.1").send("GET /healthz HTTP/1.0\r\n\r\n").readHead(2000))
                .startsWith("HTTP/1.0 200");
    }

    @Test
    void metricsNeedTheMetricsKeyWhenOneIsConfigured() throws Exception {
        GatewayServer guarded = gateway("  telemetry: { metrics-key: \"metrics-secret-0123456789\" }\n");
        HttpResponse<String> anonymous = get(guarded.baseUrl() + "/metrics");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("battery");
        assertThat(get(guarded.baseUrl() + "/metrics", "authorization", "Bearer metrics-secret-0123456789")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void noCharacterOfAStaticKeyIsStoredInTheAuditLog() throws Exception {
        HttpResponse<String> r = post(gateway, PATH, CHAT, "api-key", KEY);
        String id = r.headers().firstValue("x-spillway-request-id").orElseThrow();
        Optional<JsonNode> record = Optional.empty();
        for (int i = 0; i < 200 && record.isEmpty(); i++) {
            record = AuditReader.find(data.resolve("g0").resolve("audit"), id);
            if (record.isEmpty()) Thread.sleep(25); // written after the response completed
        }
        String stored = record.orElseThrow().path("key").asText();
        assertThat(stored).matches("static:[0-9a-f]{8}").doesNotContain(KEY.substring(0, 4));
    }

    @Test
    void staticKeysShorterThan32CharactersAreRefusedUnlessExplicitlyAllowed() {
        String yaml = "gateway:\n  keys: [ { name: short, key: abc } ]\n%s  backends: []\n  deployments: []\n";
        ConfigNode refused = ConfigLoader.parse(yaml.formatted(""), Map.of());
        GatewayConfig.from(refused.child("gateway"));
        assertThat(refused.problems()).anyMatch(p -> p.contains("key 'short' has 3 characters")
                && p.contains("at least 32") && p.contains("allow-short-keys"));
        ConfigNode allowed = ConfigLoader.parse(yaml.formatted("  allow-short-keys: true\n"), Map.of());
        GatewayConfig.from(allowed.child("gateway"));
        assertThat(allowed.problems()).isEmpty();
    }

    // The cases that held, kept so they keep holding.

    @Test
    void aRequestWithBothContentLengthAndChunkedCannotSmuggleASecondRequest() throws Exception {
        String smuggle = "POST " + PATH + " HTTP/1.1\r\nhost: x\r\napi-key: " + KEY + "\r\ncontent-length: 60\r\n"
                + "transfer-encoding: chunked\r\n\r\n0\r\n\r\nGET /metrics HTTP/1.1\r\nhost: x\r\n\r\n";
        String answer = connect(gateway, "127.0.0.1").send(smuggle).readUntilClosed(3000);
        assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("spillway_");
        assertThat(backend.received).isEmpty();
    }

    @Test
    void headersOverTheSizeLimitAre431OrClosedNotBuffered() throws Exception {
        String huge = "GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: " + "a".repeat(64 * 1024) + "\r\n\r\n";
        String answer = connect(gateway, "127.0.0.1").send(huge).readUntilClosed(3000);
        assertThat(answer).doesNotContain("<still open>").doesNotContain("HTTP/1.1 200");
    }
}
