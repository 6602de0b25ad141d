package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two gateways on the real Redis share one response cache: what one kept, the other serves. */
class RedisSharedCacheTest {
    static final String KEY = "sk-shared-cache-test-0123456789abcdef01";
    static final String ADMIN = "admin-shared-cache-0123456789abcdef0123";
    static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"shared?\"}],\"temperature\":0}";
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final AtomicInteger backendCalls = new AtomicInteger();
    final List<GatewayServer> gateways = new ArrayList<>();
    Vertx vertx;

    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer backend = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            backendCalls.incrementAndGet();
            req.response().putHeader("content-type", "application/json").end("{\"id\":\"x\",\"object\":\"chat.completion\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"yes\"},"
                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}");
        })).listen(0, "127.0.0.1").await();
        String yaml = """
                gateway:
                  port: 0
                  admin: { key: %s }
                  keys: [ { name: k, key: %s, app: "shared-%s" } ]
                  backends: [ { name: b, url: "http://127.0.0.1:%d", deployment: up, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                  store: { type: redis, timeout: 500ms, key-prefix: "spillway-cache-test:%s:" }
                  cache: { apps: [ { app: "shared-%s", enabled: true } ] }
                """.formatted(ADMIN, KEY, run, backend.actualPort(), run, run);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        for (int i = 0; i < 2; i++) gateways.add(GatewayServer.start(vertx, config, 1, Clock.systemUTC()).await());
    }

    @AfterEach
    void stop() throws Exception {
        for (GatewayServer g : gateways) g.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String ask(GatewayServer g) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .header("api-key", KEY).header("content-type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(ASK)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("x-spillway-cache").orElse("");
    }

    @Test
    void whatOneReplicaKeptTheOtherServesAndAPurgeOnOneClearsBoth() throws Exception {
        assertThat(ask(gateways.get(0))).isEqualTo("miss");
        assertThat(ask(gateways.get(1))).isEqualTo("hit");
        assertThat(backendCalls.get()).isEqualTo(1);

        HttpResponse<String> purge = http.send(HttpRequest.newBuilder(URI.create(gateways.get(1).baseUrl()
                + "/admin/cache?app=shared-" + run)).header("api-key", ADMIN).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(purge.body()).contains("\"removed\":1");
        assertThat(ask(gateways.get(0))).isEqualTo("miss");
        assertThat(backendCalls.get()).isEqualTo(2);
    }
}
