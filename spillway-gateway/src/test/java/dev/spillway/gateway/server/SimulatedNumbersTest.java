package dev.spillway.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.testkit.GatewayHarness;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The numbers a client sees through a real gateway in front of the real simulator. */
@org.junit.jupiter.api.Timeout(30)
class SimulatedNumbersTest {
    private final GatewayHarness h = new GatewayHarness();
    private final HttpClient http = HttpClient.newHttpClient();
    private Simulator sim;

    @BeforeEach
    void startSimulator() throws Exception {
        DeploymentConfig longWinded = new DeploymentConfig("gpt-4o", "gpt-4o-2024-11-20",
                dev.spillway.simulator.DeploymentKind.PAY_AS_YOU_GO, 0, 10_000_000, 10_000, 1536, java.util.Optional.empty(),
                dev.spillway.simulator.AnswerMode.GENERATE, 600);
        sim = h.simulator(SimulatorConfig.demo().withPort(0).withEventLoops(1).withDeployments(List.of(longWinded)));
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private GatewayServer gateway(String extra) throws Exception {
        return h.gateway("gateway:\n  port: 0\n" + GatewayHarness.KEYS + extra + """
                  backends: [ { name: payg, url: "%s", deployment: gpt-4o, probe: { kind: none } } ]
                  deployments: [ { name: gpt-4o, backends: [payg] } ]
                """.formatted(sim.baseUrl()));
    }

    private JsonNode post(GatewayServer g, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .timeout(Duration.ofSeconds(20)).header("api-key", GatewayHarness.KEY)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aRequestWithoutMaxTokensGetsNoMoreThanTheCap() throws Exception {
        GatewayServer g = gateway("  limits: { default-max-tokens: 20, max-tokens-cap: 50 }\n");
        JsonNode answer = post(g, "{\"messages\":[{\"role\":\"user\",\"content\":\"write at length\"}]}");
        assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(50);
        assertThat(answer.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void aLimitedKeysRateLimitHeadersComeAsOneTrioFromTheTighterSource() throws Exception {
        GatewayServer g = gateway("  limits: { apps: [ { name: chat, requests-per-minute: 5 } ] }\n");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl()
                        + "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"))
                .header("api-key", GatewayHarness.KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                        + "\"max_tokens\":5}")).build(), HttpResponse.BodyHandlers.ofString());
        // the simulator's own window allows 1,666 requests per 10 s: the key (5 a minute) is tighter
        assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue("5");
        assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("4");
        assertThat(Integer.parseInt(r.headers().firstValue("x-ratelimit-reset-requests").orElseThrow())).isBetween(1, 60);
        // no token limit on the key: the token trio is the backend's, whole
        assertThat(r.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("10000000");
    }

    @Test
    void legacyCompletionsOnAChatOnlyModelIsAzuresOperationNotSupported() throws Exception {
        GatewayServer g = gateway("");
        for (String path : List.of("/openai/deployments/gpt-4o/completions?api-version=2024-10-21", "/v1/completions")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + path))
                    .header("api-key", GatewayHarness.KEY).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"prompt\":\"hi\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(r.body()).path("error").path("code").asText()).as(r.body())
                    .isEqualTo("OperationNotSupported");
        }
    }

    @Test
    void aRequestWithinTheCapKeepsItsOwnMaxTokens() throws Exception {
        GatewayServer g = gateway("  limits: { default-max-tokens: 20, max-tokens-cap: 50 }\n");
        JsonNode answer = post(g, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":7}");
        assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
    }
}
