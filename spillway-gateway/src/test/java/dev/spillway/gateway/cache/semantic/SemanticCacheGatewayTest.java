package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Json;
import dev.spillway.gateway.cache.CachePolicy;
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

/**
 * The semantic cache in a real gateway in front of the simulator, with the test's word model: a
 * question in other words is served from the cache, never across a system prompt or a set of
 * access groups, and not after a purge.
 */
@org.junit.jupiter.api.Timeout(120)
class SemanticCacheGatewayTest {
    static final String ADMIN = "admin-0123456789abcdef0123456789abcdef";
    private final GatewayHarness h = new GatewayHarness();
    private final HttpClient http = HttpClient.newHttpClient();
    private Simulator sim;
    private GatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        sim = Simulator.start(h.vertx, SimulatorConfig.demo().withPort(0).withEventLoops(1))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway = h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + """
                  admin: { key: %s }
                  backends: [ { name: ptu, url: "%s", deployment: gpt-4o-ptu, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [ptu] } ]
                  cache: { apps: [ { app: chat, enabled: true, threshold: 0.99 } ], semantic: { enabled: true, model: words-64 } }
                """.formatted(ADMIN, sim.baseUrl()));
    }

    @AfterEach
    void stop() throws Exception {
        sim.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        h.close();
    }

    private HttpResponse<String> ask(String system, String question, String groups) throws Exception {
        var body = Json.MAPPER.createObjectNode().put("temperature", 0).put("max_tokens", 20);
        body.putArray("messages").add(Json.MAPPER.createObjectNode().put("role", "system").put("content", system))
                .add(Json.MAPPER.createObjectNode().put("role", "user").put("content", question));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .timeout(Duration.ofSeconds(20)).header("api-key", GatewayHarness.KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (!groups.isEmpty()) r.header(CachePolicy.GROUPS_HEADER, groups);
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer is added to the index after the reply ends; asks again until it is there. */
    private HttpResponse<String> askUntilSemanticHit(String system, String question) throws Exception {
        HttpResponse<String> r = ask(system, question, "");
        for (int i = 0; i < 50 && !r.headers().firstValue("x-spillway-cache").orElse("").equals("semantic-hit"); i++) {
            Thread.sleep(100);
            r = ask(system, question, "");
        }
        return r;
    }

    private static String cache(HttpResponse<String> r) {
        return r.headers().firstValue("x-spillway-cache").orElse("none");
    }

    @Test
    void aQuestionInOtherWordsIsASemanticHitWithItsSimilarity() throws Exception {
        HttpResponse<String> first = ask("You are terse.", "What is a PTU in Azure OpenAI?", "");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(cache(first)).isEqualTo("miss");

        HttpResponse<String> again = askUntilSemanticHit("You are terse.", "In Azure OpenAI, what is a PTU?");

        assertThat(cache(again)).isEqualTo("semantic-hit");
        assertThat(again.headers().firstValue(CachePolicy.SIMILARITY_HEADER)).hasValue("1.0000");
        assertThat(Json.MAPPER.readTree(again.body()).at("/choices/0/message/content").asText())
                .isEqualTo(Json.MAPPER.readTree(first.body()).at("/choices/0/message/content").asText());
    }

    @Test
    void anotherSystemPromptOrOtherAccessGroupsNeverHit() throws Exception {
        ask("You are terse.", "What is a PTU in Azure OpenAI?", "");
        assertThat(cache(askUntilSemanticHit("You are terse.", "In Azure OpenAI, what is a PTU?")))
                .isEqualTo("semantic-hit");

        assertThat(cache(ask("You are verbose.", "In Azure OpenAI, what is a PTU?", ""))).isEqualTo("miss");
        assertThat(cache(ask("You are terse.", "In Azure OpenAI, what is a PTU?", "finance"))).isEqualTo("miss");
    }

    @Test
    void afterAnAdminPurgeTheQuestionMisses() throws Exception {
        ask("You are terse.", "What is a PTU in Azure OpenAI?", "");
        assertThat(cache(askUntilSemanticHit("You are terse.", "In Azure OpenAI, what is a PTU?")))
                .isEqualTo("semantic-hit");

        HttpRequest purge = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/admin/cache?app=chat"))
                .timeout(Duration.ofSeconds(10)).header("api-key", ADMIN).DELETE().build();
        assertThat(http.send(purge, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        assertThat(cache(ask("You are terse.", "PTU in Azure OpenAI: what is a?", ""))).isEqualTo("miss");
    }
}
