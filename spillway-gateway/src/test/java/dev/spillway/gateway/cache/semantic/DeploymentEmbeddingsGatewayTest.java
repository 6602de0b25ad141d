package dev.spillway.gateway.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.wire.Json;
import dev.spillway.gateway.cache.CachePolicy;
import dev.spillway.gateway.server.GatewayServer;
import dev.spillway.gateway.testkit.FakeBackend;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache with the gateway's own embeddings deployment as its model
 * ({@code model: deployment:embeddings}), end to end: a real gateway in front of the simulator,
 * whose embeddings are a hashed bag of words. A question in other words is a semantic hit, one
 * with other words a miss; the embedding calls go through the gateway's routing as the app
 * {@code spillway-cache}; an embeddings deployment that fails or stalls makes a miss, never an
 * error.
 */
@org.junit.jupiter.api.Timeout(120)
class DeploymentEmbeddingsGatewayTest {
    private final GatewayHarness h = new GatewayHarness();
    private GatewayServer gateway;

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    /** A gateway whose deployment {@code embeddings} is served by {@code embeddingsUrl}. */
    private void start(String embeddingsUrl, String embedTimeout) throws Exception {
        Simulator sim = h.simulator(SimulatorConfig.demo().withPort(0).withEventLoops(1));
        gateway = h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + """
                  backends:
                    - { name: ptu, url: "%s", deployment: gpt-4o-ptu, probe: { kind: none } }
                    - { name: emb, url: "%s", deployment: text-embedding-3-small, probe: { kind: none },
                        first-byte-timeout: 2s }
                  deployments: [ { name: gpt-4o, backends: [ptu] }, { name: embeddings, backends: [emb] } ]
                  cache:
                    apps: [ { app: chat, enabled: true, threshold: 0.99 } ]
                    semantic: { enabled: true, model: "deployment:embeddings", embed-timeout: %s }
                """.formatted(sim.baseUrl(), embeddingsUrl.isEmpty() ? sim.baseUrl() : embeddingsUrl, embedTimeout));
    }

    private HttpResponse<String> ask(String question) throws Exception {
        var body = Json.MAPPER.createObjectNode().put("temperature", 0).put("max_tokens", 20);
        body.putArray("messages").add(Json.MAPPER.createObjectNode().put("role", "system").put("content", "Be terse."))
                .add(Json.MAPPER.createObjectNode().put("role", "user").put("content", question));
        return h.completions(gateway, body.toString());
    }

    /** The answer is added to the index after the reply ends; asks again until it is there. */
    private HttpResponse<String> askUntilSemanticHit(String question) throws Exception {
        HttpResponse<String> r = ask(question);
        for (int i = 0; i < 50 && !cache(r).equals("semantic-hit"); i++) {
            Thread.sleep(100);
            r = ask(question);
        }
        return r;
    }

    private static String cache(HttpResponse<String> r) {
        return r.headers().firstValue(CachePolicy.HEADER).orElse("none");
    }

    @Test
    void aQuestionInOtherWordsIsASemanticHitAndOneWithOtherWordsIsAMiss() throws Exception {
        start("", "2s");
        HttpResponse<String> first = ask("What is a PTU in Azure OpenAI?");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(cache(first)).isEqualTo("miss");

        HttpResponse<String> again = askUntilSemanticHit("In Azure OpenAI, what is a PTU?");

        assertThat(cache(again)).isEqualTo("semantic-hit");
        assertThat(again.headers().firstValue(CachePolicy.SIMILARITY_HEADER)).hasValue("1.0000");
        assertThat(Json.MAPPER.readTree(again.body()).at("/choices/0/message/content").asText())
                .isEqualTo(Json.MAPPER.readTree(first.body()).at("/choices/0/message/content").asText());
        HttpResponse<String> other = ask("What is a pay-as-you-go deployment in Azure OpenAI?");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(cache(other)).isEqualTo("miss");
    }

    @Test
    void theEmbeddingCallsAreRoutedAndCountedAsTheCachesOwnApp() throws Exception {
        start("", "2s");
        ask("What is a PTU in Azure OpenAI?");
        assertThat(cache(askUntilSemanticHit("In Azure OpenAI, what is a PTU?"))).isEqualTo("semantic-hit");

        String metrics = h.get(gateway, "/metrics").body();

        assertThat(metrics).containsPattern("spillway_requests_total\\{app=\"spillway-cache\",backend=\"emb\","
                + "deployment=\"embeddings\",status=\"2xx\"} [1-9]");
        assertThat(metrics).doesNotContainPattern("spillway_requests_total\\{app=\"chat\",[^}]*deployment=\"embeddings\"");
    }

    @Test
    void aFailingEmbeddingsDeploymentIsAMissNotAnError() throws Exception {
        FakeBackend embeddings = h.backend("emb");
        embeddings.status = 500;
        start(embeddings.url(), "2s");

        HttpResponse<String> r = ask("What is a PTU in Azure OpenAI?");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(cache(r)).isEqualTo("miss");
        assertThat(embeddings.requests.get()).isPositive();
    }

    @Test
    void aStalledEmbeddingsDeploymentIsAMissAfterTheEmbedTimeout() throws Exception {
        FakeBackend embeddings = h.backend("emb");
        embeddings.fault = "stall-before-headers";
        start(embeddings.url(), "200ms");

        long started = System.nanoTime();
        HttpResponse<String> r = ask("What is a PTU in Azure OpenAI?");
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(cache(r)).isEqualTo("miss");
        assertThat(millis).as("answered before the backend's 2 s first-byte timeout").isLessThan(1_900);
    }
}
