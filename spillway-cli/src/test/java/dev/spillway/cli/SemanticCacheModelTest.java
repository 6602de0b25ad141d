package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.simulator.Latency;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic cache with the real default model, found on the class path as {@code spillway up
 * --semantic-cache} finds it: the same question in other case is a semantic hit at the strict
 * default threshold, and a question with one word changed is not.
 */
@org.junit.jupiter.api.Timeout(180)
class SemanticCacheModelTest {
    static final String KEY = "sk-spw-test-0123456789abcdef0123456789abcdef";
    @TempDir
    Path tmp;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private String startGateway() throws Exception {
        Simulator sim = await(Simulator.start(vertx, SimulatorConfig.demo().withPort(0).withLatency(Latency.ZERO)));
        String yaml = """
                port: 0
                data-dir: "%s"
                database: { url: "jdbc:sqlite:%s" }
                keys: [ { name: test, key: "%s", app: test-app } ]
                backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu } ]
                deployments: [ { name: gpt-4o, backends: [ptu] } ]
                cache: { enabled: true, semantic: { enabled: true } }
                """.formatted(tmp.resolve("gw"), tmp.resolve("gw.db"), KEY, sim.baseUrl());
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root);
        root.throwIfInvalid();
        return await(GatewayServer.start(vertx, config, 1, Clock.systemUTC())).baseUrl();
    }

    private HttpResponse<String> ask(String url, String question) throws Exception {
        String body = "{\"temperature\":0,\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\""
                + question + "\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create(url + "/openai/deployments/gpt-4o/chat/completions"
                        + "?api-version=2024-10-21")).timeout(Duration.ofSeconds(60)).header("api-key", KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<String> r) {
        return r.headers().firstValue("x-spillway-cache").orElse("none");
    }

    @Test
    void theSameQuestionInOtherCaseHitsAndAnotherPlanDoesNot() throws Exception {
        String url = startGateway();
        HttpResponse<String> first = ask(url, "What is the copay for Northwind Health Plus?");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(cache(first)).isEqualTo("miss");

        HttpResponse<String> again = ask(url, "what is the copay for northwind health plus?");
        for (int i = 0; i < 50 && !cache(again).equals("semantic-hit"); i++) {
            Thread.sleep(100);
            again = ask(url, "what is the copay for northwind health plus?");
        }

        assertThat(cache(again)).isEqualTo("semantic-hit");
        assertThat(Double.parseDouble(again.headers().firstValue("x-spillway-cache-similarity").orElseThrow()))
                .isGreaterThanOrEqualTo(0.995);
        assertThat(cache(ask(url, "What is the copay for Northwind Standard?"))).isEqualTo("miss");
    }
}
