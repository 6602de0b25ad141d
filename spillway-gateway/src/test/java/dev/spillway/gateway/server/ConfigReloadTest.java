package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.reload.ConfigFile;
import dev.spillway.gateway.reload.ConfigSource;
import dev.spillway.gateway.reload.ReloadOutcome;
import dev.spillway.gateway.testkit.FakeBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rewritten config file applied by the running gateway: routes, keys, limits; refusals; in-flight requests. */
class ConfigReloadTest {
    static final String PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}";
    static final String OLD_KEY = "old-key-0123456789abcdef0123456789";
    static final String NEW_KEY = "new-key-0123456789abcdef0123456789";
    static final String ADMIN = "admin-0123456789";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path dir;
    Path file;
    Vertx vertx;
    FakeBackend a;
    FakeBackend b;
    GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        a = new FakeBackend(vertx, "a").start();
        b = new FakeBackend(vertx, "b").start();
        file = dir.resolve("spillway.yaml");
        write("a", OLD_KEY, 2, "");
        ConfigFile source = source(file);
        ConfigSource.Loaded first = source.load();
        gateway = GatewayServer.start(vertx, first.config(), 1, java.time.Clock.systemUTC()).toCompletionStage()
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        gateway.watch(source, first);
    }

    /** The file read as {@code spillway gateway} reads it: every problem fails the load. */
    static ConfigFile source(Path file) {
        return new ConfigFile(file, Map.of(), root -> {
            GatewayConfig config = GatewayConfig.from(root.child("gateway"));
            root.throwIfInvalid();
            return config;
        });
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The file: gpt-4o routed to {@code backend}, one static key, the app's requests/min. */
    void write(String backend, String key, int rpm, String extra) throws Exception {
        Files.writeString(file, """
                gateway:
                  port: 0
                  data-dir: "%s"
                  reload: { interval: 0s }
                  admin: { key: "%s" }
                  keys: [ { name: k, key: "%s", app: legacy } ]
                  backends:
                    - { name: a, url: "%s", deployment: d, auth: none }
                    - { name: b, url: "%s", deployment: d, auth: none }
                  deployments: [ { name: gpt-4o, backends: [%s] } ]
                  limits: { apps: [ { name: legacy, requests-per-minute: %d } ] }
                %s""".formatted(dir.resolve("data"), ADMIN, key, a.url(), b.url(), backend, rpm, extra));
    }

    ReloadOutcome reload() throws Exception {
        return gateway.reloadConfig().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    HttpResponse<String> call(String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + PATH)).timeout(Duration.ofSeconds(10))
                .header("api-key", key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode admin() throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/config"))
                .header("api-key", ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aRewrittenRouteSendsNewRequestsToTheNewBackend() throws Exception {
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(200);
        write("b", OLD_KEY, 100, "");
        assertThat(reload()).isInstanceOf(ReloadOutcome.Applied.class);
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(200);
        assertThat(a.requests.get()).isEqualTo(1);
        assertThat(b.requests.get()).isEqualTo(1);
    }

    @Test
    void aNewKeyWorksAndARemovedKeyGets401() throws Exception {
        write("a", NEW_KEY, 100, "");
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/config/reload"))
                .POST(HttpRequest.BodyPublishers.noBody());
        assertThat(http.send(post.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> reloaded = http.send(post.header("api-key", ADMIN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(reloaded.body()).get("outcome").asText()).isEqualTo("applied");
        assertThat(call(NEW_KEY, CHAT).statusCode()).isEqualTo(200);
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(401);
    }

    @Test
    void aRaisedLimitAppliesWithoutResettingWhatWasUsedThisMinute() throws Exception {
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(200);
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(200);
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(429);
        write("a", OLD_KEY, 3, "");
        reload();
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(200);
        assertThat(call(OLD_KEY, CHAT).statusCode()).as("2 of 3 were used before the reload").isEqualTo(429);
    }

    @Test
    void aRaisedPriceAppliesToTheNextRequestsMoneyBudget() throws Exception {
        String budget = "  prices: [ { backend: a, input-per-1m: %s, output-per-1m: %s } ]\n"
                + "  limits: { apps: [ { name: legacy, budget-per-month-usd: 1 } ] }\n";
        write("a", OLD_KEY, 100, "");
        Files.writeString(file, Files.readString(file).replaceFirst("  limits: .*\n", "") + budget.formatted("1", "1"));
        reload();
        assertThat(call(OLD_KEY, CHAT).statusCode()).as("a few tokens at $1 per million").isEqualTo(200);
        Files.writeString(file, Files.readString(file).replace("input-per-1m: 1, output-per-1m: 1",
                "input-per-1m: 1000000, output-per-1m: 1000000"));
        assertThat(reload()).isInstanceOf(ReloadOutcome.Applied.class);
        HttpResponse<String> priced = call(OLD_KEY, CHAT);
        assertThat(priced.statusCode()).as(priced.body()).isEqualTo(403);
        assertThat(priced.body()).contains("budget");
    }

    @Test
    void anInvalidFileIsRefusedWithItsErrorsAndTheOldConfigKeepsServing() throws Exception {
        String before = admin().get("sha256").asText();
        Files.writeString(file, Files.readString(file).replace("deployment: d, auth: none }\n    - { name: b",
                "deployment: d, auth: none, max-connections: 0 }\n    - { name: b") + "  no-such-key: 1\n");
        ReloadOutcome outcome = reload();
        assertThat(outcome).isInstanceOf(ReloadOutcome.Refused.class);
        assertThat(((ReloadOutcome.Refused) outcome).errors()).contains(
                "gateway.backends[0].max-connections: must be >= 1, was 0",
                "gateway.no-such-key: unknown key");
        assertThat(call(OLD_KEY, CHAT).statusCode()).isEqualTo(200);
        JsonNode status = admin();
        assertThat(status.get("sha256").asText()).isEqualTo(before);
        assertThat(status.at("/reloads/refused").asLong()).isEqualTo(1);
        assertThat(status.at("/last_refused/errors/0").asText()).startsWith("gateway.");
        assertThat(gateway.accounting().metrics().scrape()).contains("spillway_config_reloads_total{outcome=\"refused\"} 1.0");
    }

    @Test
    void aRestartOnlyChangeIsReportedAndTheRestIsApplied() throws Exception {
        write("b", OLD_KEY, 100, "  max-body-size: 8MiB\n");
        ReloadOutcome.Applied applied = (ReloadOutcome.Applied) reload();
        assertThat(applied.restartNeeded()).containsExactly(
                "gateway.max-body-size: changed; needs a restart (the running value is kept until then)");
        assertThat(gateway.config().maxBodySize().bytes()).isEqualTo(4L << 20);
        call(OLD_KEY, CHAT);
        assertThat(b.requests.get()).isEqualTo(1);
        assertThat(admin().get("restart_needed").get(0).asText()).startsWith("gateway.max-body-size");
        write("a", OLD_KEY, 100, "  max-body-size: 8MiB\n");
        assertThat(((ReloadOutcome.Applied) reload()).restartNeeded()).as("still not running").hasSize(1);
    }

    @Test
    void anUnchangedFileIsNotReapplied() throws Exception {
        assertThat(reload()).isInstanceOf(ReloadOutcome.Unchanged.class);
    }

    @Test
    void theWatchAppliesAChangedFileAndRetriesARefusedOneOnlyOnceItChangesAgain() throws Exception {
        Files.writeString(file, Files.readString(file).replace("interval: 0s", "interval: 100ms"));
        ConfigFile source = source(file);
        ConfigSource.Loaded first = source.load();
        GatewayServer watched = GatewayServer.start(vertx, first.config(), 1, java.time.Clock.systemUTC())
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        watched.watch(source, first);
        String valid = Files.readString(file);
        Files.writeString(file, valid + "  no-such-key: 1\n");
        awaitTrue(() -> watched.accounting().metrics().scrape()
                .contains("spillway_config_reloads_total{outcome=\"refused\"} 1.0"));
        Thread.sleep(400); // four more checks of the same refused file
        assertThat(watched.accounting().metrics().scrape())
                .contains("spillway_config_reloads_total{outcome=\"refused\"} 1.0");
        Files.writeString(file, valid.replace("backends: [a]", "backends: [b]"));
        awaitTrue(() -> watched.config().deployment("gpt-4o").orElseThrow().backends().equals(java.util.List.of("b")));
        awaitTrue(() -> watched.accounting().metrics().scrape()
                .contains("spillway_config_reloads_total{outcome=\"applied\"} 1.0"));
        watched.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("not true within 10 s");
            Thread.sleep(20);
        }
    }

    @Test
    void aStreamStartedBeforeAReloadFinishesOnTheOldRoute() throws Exception {
        AtomicReference<HttpServerResponse> held = new AtomicReference<>();
        a.responder = (req, body) -> {
            HttpServerResponse r = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            r.write("data: {\"id\":\"1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"from-a\"}}]}\n\n");
            held.set(r);
        };
        String stream = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5,\"stream\":true}";
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(gateway.baseUrl() + PATH)).header("api-key", OLD_KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(stream)).build(),
                HttpResponse.BodyHandlers.ofString());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.get() == null && System.nanoTime() < until) Thread.sleep(10);
        assertThat(held.get()).as("backend a got the stream").isNotNull();
        write("b", NEW_KEY, 100, "");
        assertThat(reload()).isInstanceOf(ReloadOutcome.Applied.class);
        assertThat(call(NEW_KEY, CHAT).statusCode()).isEqualTo(200);
        assertThat(b.requests.get()).isEqualTo(1);
        vertx.runOnContext(v -> held.get().end("data: [DONE]\n\n"));
        HttpResponse<String> finished = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).contains("from-a").contains("data: [DONE]");
        assertThat(a.requests.get()).isEqualTo(1);
    }
}
