package dev.spillway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ConfigNode;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.access.keys.InMemoryKeyStore;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.access.limit.FailoverQuotaStore;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.server.GatewayServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's accuracy check over HTTP: 200 parallel requests spread over two gateway instances that
 * share the real Redis admit at most the limit plus one request's reservation, for a 1,000
 * tokens/min key limit and for a money budget. Every request is estimated at 36 tokens (6 prompt +
 * max_tokens 30) and the backend reports exactly that, so admitted usage = admitted count x 36.
 */
class RedisGatewayAccuracyTest {
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":30}";
    static final long PER_REQUEST = 36;
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final InMemoryKeyStore keyStore = new InMemoryKeyStore();
    Vertx vertx;
    List<GatewayServer> gateways = new ArrayList<>();
    KeyService keys;

    @BeforeAll
    static void redisIsUp() {
        LocalRedis.require();
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        HttpServer backend = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b ->
                vertx.setTimer(20, t -> req.response().putHeader("content-type", "application/json")
                        .end("{\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":30}}"))))
                .listen(0, "127.0.0.1").await();
        String yaml = """
                gateway:
                  port: 0
                  backends: [ { name: b, url: "http://127.0.0.1:%d", deployment: up, auth: api-key, secret: s, first-byte-timeout: 15s } ]
                  deployments: [ { name: gpt-4o, backends: [b] } ]
                  store: { type: redis, replicas: 2, timeout: 500ms }
                  limits:
                    apps: [ { name: "spender-%s", budget-per-month-usd: 0.01 } ]
                  prices: [ { backend: b, input-per-1m: 10, output-per-1m: 10 } ]
                """.formatted(backend.actualPort(), run);
        ConfigNode root = ConfigLoader.parse(yaml, Map.of());
        GatewayConfig config = GatewayConfig.from(root.child("gateway"));
        root.throwIfInvalid();
        Clock clock = Clock.systemUTC();
        for (int i = 0; i < 2; i++) {
            var s = config.access().store();
            RedisQuotaStore redis = new RedisQuotaStore(LocalRedis.URL, s.timeout(), "spw-test:", clock, s.holdTtl());
            redis.started().toCompletableFuture().get(10, TimeUnit.SECONDS);
            var quotas = new FailoverQuotaStore(redis, clock, s.holdTtl(), s.timeout(), s.replicas(),
                    s.breakerOpenFor());
            Access access = new Access(vertx, config.access(), quotas, true, keyStore, clock);
            gateways.add(GatewayServer.start(vertx, config, 1, clock, access).await());
        }
        keys = new KeyService(keyStore, clock, new SecureRandom());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String key(String app, OptionalLong tpm) {
        return keys.create(new KeyService.NewKey("", app, Optional.empty(), Optional.empty(), Set.of(),
                new KeyLimits(OptionalLong.empty(), tpm, OptionalLong.empty(), OptionalLong.empty(), Optional.empty()),
                Optional.empty())).secret();
    }

    List<Integer> fire(String secret) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            GatewayServer g = gateways.get(i % 2);
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(g.baseUrl()
                            + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                    .header("api-key", secret).header("content-type", "application/json")
                    .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return all.stream().map(f -> f.join().statusCode()).toList();
    }

    @Test
    void twoGatewaysAdmitAtMostOneThousandTokensPerMinuteForOneKey() throws Exception {
        List<Integer> statuses = fire(key("app-" + run, OptionalLong.of(1000)));
        long admitted = count(statuses, 200) * PER_REQUEST;
        assertThat(admitted).isLessThanOrEqualTo(1000 + PER_REQUEST)
                .isGreaterThanOrEqualTo(1000 - PER_REQUEST * (1 + count(statuses, 504)));
        assertThat(statuses).isSubsetOf(200, 429, 504).contains(429);
    }

    @Test
    void twoGatewaysSpendAtMostTheMoneyBudgetBetweenThem() throws Exception {
        List<Integer> statuses = fire(key("spender-" + run, OptionalLong.empty()));
        long spentMicros = count(statuses, 200) * PER_REQUEST * 10;
        assertThat(spentMicros).isLessThanOrEqualTo(10_000 + PER_REQUEST * 10)
                .isGreaterThanOrEqualTo(10_000 - PER_REQUEST * 10 * (1 + count(statuses, 504)));
        assertThat(statuses).isSubsetOf(200, 403, 504).contains(403);
    }

    /**
     * On a loaded machine the backend may answer too late (504); such a request used nothing and
     * its hold is released, so it only lowers the expected minimum.
     */
    private static long count(List<Integer> statuses, int status) {
        return statuses.stream().filter(s -> s == status).count();
    }
}
