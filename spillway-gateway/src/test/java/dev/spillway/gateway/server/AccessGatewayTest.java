package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.testkit.FakeBackend;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.Access;
import dev.spillway.gateway.access.keys.InMemoryKeyStore;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyService;
import dev.spillway.gateway.access.limit.InMemoryQuotaStore;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.testkit.Yaml;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys, limits, quotas and budgets through the real server, against a fake backend that reports usage. */
class AccessGatewayTest {
    static final String PATH = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],\"max_tokens\":50}";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Vertx vertx;
    FakeBackend backend;
    GatewayServer gateway;
    KeyService keys;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = FakeBackend.started(vertx);
        backend.responder = (req, body) -> req.response().putHeader("content-type", "application/json")
                .end("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}}");
        String yaml = """
                gateway:
                  port: 0
                  keys: [ { name: static, key: "static-key-0123456789abcdef0123456789", app: legacy } ]
                  backends: [ { name: b, url: "%s", deployment: up, auth: api-key, secret: s } ]
                  deployments: [ { name: gpt-4o, backends: [b] }, { name: other, backends: [b] } ]
                  admin: { key: "admin-0123456789" }
                  access: { key-cache-ttl: 0s }
                  limits:
                    default-max-tokens: 256
                    max-tokens-cap: 1000
                    apps: [ { name: capped, tokens-per-day: 100 }, { name: spender, budget-per-month-usd: 0.0005 } ]
                  prices: [ { backend: b, input-per-1m: 5, output-per-1m: 15 } ]
                """.formatted(backend.url());
        GatewayConfig config = Yaml.gateway(yaml);
        InMemoryKeyStore store = new InMemoryKeyStore();
        Access access = new Access(vertx, config.access(), new InMemoryQuotaStore(Clock.systemUTC(), Duration.ofMinutes(5)),
                false, store, Clock.systemUTC());
        keys = access.keys();
        gateway = GatewayServer.start(vertx, config, 1, Clock.systemUTC(), access).toCompletionStage()
                .toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String key(String app, Set<String> deployments, KeyLimits limits) {
        return keys.create(new KeyService.NewKey("", app, Optional.empty(), Optional.empty(), deployments, limits,
                Optional.empty())).secret();
    }

    static KeyLimits limits(Long rpm, Long tpm) {
        return new KeyLimits(rpm == null ? OptionalLong.empty() : OptionalLong.of(rpm),
                tpm == null ? OptionalLong.empty() : OptionalLong.of(tpm), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty());
    }

    HttpResponse<String> call(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body()).get("error");
    }

    @Test
    void anAppKeyIsAcceptedAndUnknownAndRevokedKeysGetTheSame401() throws Exception {
        String secret = key("chat", Set.of(), KeyLimits.NONE);
        assertThat(call(PATH, CHAT, "api-key", secret).statusCode()).isEqualTo(200);
        assertThat(call(PATH, CHAT, "authorization", "Bearer static-key-0123456789abcdef0123456789").statusCode()).isEqualTo(200);
        HttpResponse<String> unknown = call(PATH, CHAT, "api-key", "sk-spw-" + "Z".repeat(43));
        String id = keys.list().get(0).id();
        keys.revoke(id); // the cache TTL is 0 here; KeyServiceTest checks the 1 s bound with a fake ticker
        HttpResponse<String> revoked = call(PATH, CHAT, "api-key", secret);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).isEqualTo(unknown.body());
    }

    @Test
    void aKeySeesOnlyTheDeploymentsItMayCallInTheModelsListAndIn404s() throws Exception {
        String secret = key("chat", Set.of("other"), KeyLimits.NONE);
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                .header("api-key", secret).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(models.body()).findValuesAsText("id")).containsExactly("other");
        HttpResponse<String> unknown = call("/openai/deployments/gpt-5/chat/completions?api-version=2024-10-21", CHAT,
                "api-key", secret);
        assertThat(error(unknown).get("message").asText()).endsWith("it serves: other.");
        HttpResponse<String> all = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/models"))
                .header("api-key", "static-key-0123456789abcdef0123456789").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(all.body()).findValuesAsText("id")).containsExactly("gpt-4o", "other");
    }

    @Test
    void aKeyMayCallOnlyItsDeploymentsAndCannotForgeTheCallerHeader() throws Exception {
        String secret = key("chat", Set.of("other"), KeyLimits.NONE);
        HttpResponse<String> r = call(PATH, CHAT, "api-key", secret);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r).get("code").asText()).isEqualTo("deployment_not_allowed");
        String open = key("chat", Set.of(), KeyLimits.NONE);
        call(PATH, CHAT, "api-key", open, "caller-objectid", "someone-else");
        assertThat(backend.last().headers().get("caller-objectid")).isNull();
    }

    @Test
    void requestsOverTheKeysPerMinuteLimitGet429WithRetryAfterAndRemainingHeaders() throws Exception {
        String secret = key("chat", Set.of(), limits(2L, null));
        HttpResponse<String> first = call(PATH, CHAT, "api-key", secret);
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        call(PATH, CHAT, "api-key", secret);
        HttpResponse<String> third = call(PATH, CHAT, "api-key", secret);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("retry-after")).isPresent();
        assertThat(Long.parseLong(third.headers().firstValue("retry-after-ms").orElseThrow())).isPositive();
        assertThat(error(third).get("code").asText()).isEqualTo("429");
        assertThat(third.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(backend.received).hasSize(2);
    }

    @Test
    void tokensPerMinuteReserveTheEstimateAndSettleToTheReportedUsage() throws Exception {
        String secret = key("chat", Set.of(), limits(null, 100L));
        HttpResponse<String> first = call(PATH, CHAT, "api-key", secret);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
        // settled to 30 used; two more fit (60 more), the fourth does not (estimate ~58 > 10 left)
        assertThat(call(PATH, CHAT, "api-key", secret).statusCode()).isEqualTo(200);
        HttpResponse<String> over = call(PATH, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":80}",
                "api-key", secret);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(error(over).get("message").asText()).contains("Tokens per minute");
        assertThat(over.headers().firstValue("x-ratelimit-remaining-tokens")).contains("40");
    }

    @Test
    void anExhaustedDailyQuotaOrMonthlyBudgetIs403() throws Exception {
        String capped = key("capped", Set.of(), KeyLimits.NONE);
        assertThat(call(PATH, CHAT, "api-key", capped).statusCode()).isEqualTo(200);
        assertThat(call(PATH, CHAT, "api-key", capped).statusCode()).isEqualTo(200);
        HttpResponse<String> quota = call(PATH, CHAT, "api-key", capped);
        assertThat(quota.statusCode()).isEqualTo(403);
        assertThat(error(quota).get("code").asText()).isEqualTo("quota_exceeded");

        String spender = key("spender", Set.of(), KeyLimits.NONE);
        // estimate: 4+~3 prompt tokens at $5/M + 50 completion at $15/M = ~785 micro-USD > the 500 budget
        HttpResponse<String> budget = call(PATH, CHAT, "api-key", spender);
        assertThat(budget.statusCode()).isEqualTo(403);
        assertThat(error(budget).get("code").asText()).isEqualTo("budget_exceeded");
        assertThat(error(budget).get("type").asText()).isEqualTo("permission_error");
    }

    @Test
    void maxTokensAboveTheCapIsA400NamingTheCap() throws Exception {
        String secret = key("chat", Set.of(), KeyLimits.NONE);
        HttpResponse<String> r = call(PATH, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1000000000}",
                "api-key", secret);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("cap of 1000");
        assertThat(error(r).get("param").asText()).isEqualTo("max_tokens");
        HttpResponse<String> responses = call("/openai/v1/responses",
                "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"max_output_tokens\":1000000000}", "api-key", secret);
        assertThat(responses.statusCode()).isEqualTo(400);
        assertThat(error(responses).get("param").asText()).isEqualTo("max_output_tokens");
    }

    @Test
    void theKeyAdminApiIsMountedWithItsOwnCredential() throws Exception {
        HttpResponse<String> created = call("/admin/keys", "{\"app\":\"x\"}", "api-key", "admin-0123456789");
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = Json.MAPPER.readTree(created.body()).get("secret").asText();
        assertThat(call(PATH, CHAT, "api-key", secret).statusCode()).isEqualTo(200);
        assertThat(call("/admin/keys", "{\"app\":\"x\"}", "api-key", secret).statusCode()).isEqualTo(403);
    }

}
