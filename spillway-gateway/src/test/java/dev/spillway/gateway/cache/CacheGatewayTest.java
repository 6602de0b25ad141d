package dev.spillway.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The response cache in a real gateway in front of the real simulator. */
@org.junit.jupiter.api.Timeout(60)
class CacheGatewayTest {
    static final String ADMIN = "admin-0123456789abcdef0123456789abcdef";
    static final String ASK = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is a PTU?\"}],\"temperature\":0,"
            + "\"max_tokens\":30%s}";
    private final GatewayHarness h = new GatewayHarness();
    private final HttpClient http = HttpClient.newHttpClient();
    private Simulator sim;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        sim = Simulator.start(h.vertx, SimulatorConfig.demo().withPort(0).withEventLoops(1))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway = h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + """
                  admin: { key: %s }
                  forward-sim-headers: true
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  limits: { apps: [ { name: chat, requests-per-minute: 6 } ] }
                  cache: { apps: [ { app: chat, enabled: true } ] }
                """.formatted(ADMIN, sim.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        sim.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        h.close();
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .timeout(Duration.ofSeconds(20)).header("api-key", GatewayHarness.KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String content(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body()).path("choices").get(0).path("message").path("content").asText();
    }

    @Test
    void aRepeatIsServedFromTheCacheAsJsonAndAsAStreamAndStillCountsAgainstTheRateLimit() throws Exception {
        HttpResponse<String> first = post(ASK.formatted(""));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-spillway-cache")).hasValue("miss");

        HttpResponse<String> second = post(ASK.formatted(""));
        assertThat(second.headers().firstValue("x-spillway-cache")).hasValue("hit");
        assertThat(content(second)).isEqualTo(content(first));
        assertThat(Json.MAPPER.readTree(second.body()).path("id").asText())
                .isNotEqualTo(Json.MAPPER.readTree(first.body()).path("id").asText());

        HttpResponse<String> streamed = post(ASK.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertThat(streamed.headers().firstValue("x-spillway-cache")).hasValue("hit");
        assertThat(streamed.headers().firstValue("content-type")).hasValue("text/event-stream");
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        String[] frames = streamed.body().split("\n\n");
        for (String f : frames) {
            String data = f.substring("data: ".length());
            if (data.equals("[DONE]")) continue;
            JsonNode chunk = Json.MAPPER.readTree(data);
            text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
            if (chunk.has("usage")) usage = chunk.get("usage");
        }
        assertThat(frames[frames.length - 1]).isEqualTo("data: [DONE]");
        assertThat(text.toString()).isEqualTo(content(first));
        assertThat(usage).isNotNull();

        for (int i = 0; i < 3; i++) assertThat(post(ASK.formatted("")).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = post(ASK.formatted(""));
        assertThat(limited.statusCode()).as("the 7th request in a minute of 6, hits included").isEqualTo(429);

        String metrics = h.get(gateway, "/metrics").body();
        assertThat(metrics).contains("spillway_cache_requests_total{app=\"chat\",result=\"hit\"} 5.0");
        assertThat(metrics).contains("spillway_cache_requests_total{app=\"chat\",result=\"miss\"} 1.0");
    }

    @Test
    void aStreamedMissIsKeptAndServedAsJson() throws Exception {
        HttpResponse<String> streamed = post(ASK.formatted(",\"stream\":true"));
        assertThat(streamed.headers().firstValue("x-spillway-cache")).hasValue("miss");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        HttpResponse<String> whole = post(ASK.formatted(""));
        assertThat(whole.headers().firstValue("x-spillway-cache")).hasValue("hit");
        assertThat(Json.MAPPER.readTree(whole.body()).path("object").asText()).isEqualTo("chat.completion");
        assertThat(content(whole)).isNotEmpty();
        assertThat(Json.MAPPER.readTree(whole.body()).path("usage").path("completion_tokens").asInt()).isPositive();
        HttpResponse<String> withUsage = post(ASK.formatted(",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertThat(withUsage.headers().firstValue("x-spillway-cache")).hasValue("hit");
        assertThat(withUsage.body()).contains("\"choices\":[],\"usage\":{\"prompt_tokens\"");
    }

    @Test
    void anAdminPurgeEmptiesTheAppsCacheAndNeedsTheAdminKey() throws Exception {
        post(ASK.formatted(""));
        HttpRequest.Builder purge = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/cache?app=chat"))
                .timeout(Duration.ofSeconds(10)).DELETE();
        assertThat(http.send(purge.copy().header("api-key", GatewayHarness.KEY).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> done = http.send(purge.header("api-key", ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(done.body()).path("removed").asLong()).isEqualTo(1);
        assertThat(post(ASK.formatted("")).headers().firstValue("x-spillway-cache")).hasValue("miss");
    }

    @Test
    void aStreamTheBackendBrokeOffIsNotKept() throws Exception {
        HttpResponse<String> cut = post(ASK.formatted(",\"stream\":true"), "x-sim-fault", "disconnect-mid-stream");
        assertThat(cut.body()).doesNotContain("[DONE]").contains("\"error\"");
        assertThat(post(ASK.formatted("")).headers().firstValue("x-spillway-cache")).hasValue("miss");
    }

    @Test
    void aBackendErrorOrRateLimitIsNotKept() throws Exception {
        assertThat(post(ASK.formatted(""), "x-sim-status", "500").statusCode()).isEqualTo(500);
        assertThat(post(ASK.formatted(""), "x-sim-status", "429").statusCode()).isEqualTo(429);
        assertThat(post(ASK.formatted("")).headers().firstValue("x-spillway-cache")).hasValue("miss");
    }
}
