package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestErrorsTest {
    static SimHarness sim;

    @BeforeAll
    static void start() {
        sim = new SimHarness(SimulatorConfig.demo().withApiKey("sim-secret"), new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    HttpResponse<String> chat(String deployment, String body) {
        return sim.chat(deployment, body, "api-key", "sim-secret");
    }

    @Test
    void missingKeyGetsAzure401() {
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).get("code").asText()).isEqualTo("401");
        assertThat(error(r).get("message").asText()).startsWith("Access denied due to invalid subscription key");
        assertThat(sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO, "api-key", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void keyIsAcceptedAsApiKeyOrBearer() {
        assertThat(chat("gpt-4o-ptu", ChatCompletionsTest.HELLO).statusCode()).isEqualTo(200);
        assertThat(sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO, "authorization", "Bearer sim-secret").statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownDeploymentGets404DeploymentNotFound() {
        HttpResponse<String> r = chat("nope", ChatCompletionsTest.HELLO);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).get("code").asText()).isEqualTo("DeploymentNotFound");
    }

    @Test
    void missingApiVersionOnDeploymentRouteGets400() {
        HttpResponse<String> r = sim.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions",
                ChatCompletionsTest.HELLO, "api-key", "sim-secret"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("param").asText()).isEqualTo("api-version");
    }

    @Test
    void embeddingsOnChatModelAndChatOnEmbeddingsModelGetOperationNotSupported() {
        HttpResponse<String> r = sim.send(sim.post("/openai/deployments/gpt-4o-ptu/embeddings?api-version=2024-10-21",
                "{\"input\":\"x\"}", "api-key", "sim-secret"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("code").asText()).isEqualTo("OperationNotSupported");
        HttpResponse<String> chat = chat("text-embedding-3-small", ChatCompletionsTest.HELLO);
        assertThat(chat.statusCode()).isEqualTo(400);
        assertThat(error(chat).get("code").asText()).isEqualTo("OperationNotSupported");
        assertThat(error(chat).get("message").asText()).contains("chatCompletion", "text-embedding-3-small");
    }

    @Test
    void malformedJsonGets400InTheEnvelope() {
        HttpResponse<String> r = chat("gpt-4o-ptu", "{\"messages\": [");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("message").asText()).contains("not valid JSON");
        assertThat(r.headers().firstValue("apim-request-id")).isPresent();
    }

    @Test
    void invalidFieldsGet400NamingTheField() {
        assertThat(error(chat("gpt-4o-ptu", "{\"messages\":[]}")).get("param").asText()).isEqualTo("messages");
        assertThat(error(chat("gpt-4o-ptu", "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"))
                .get("param").asText()).isEqualTo("messages[0].role");
        assertThat(error(chat("gpt-4o-ptu", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}"))
                .get("param").asText()).isEqualTo("max_tokens");
        HttpResponse<String> noModel = sim.send(sim.post("/v1/chat/completions", ChatCompletionsTest.HELLO,
                "api-key", "sim-secret"));
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(error(noModel).get("param").asText()).isEqualTo("model");
    }

    @Test
    void badSimHeaderGets400NamingTheHeader() {
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", ChatCompletionsTest.HELLO, "api-key", "sim-secret",
                "x-sim-latency-ms", "soon");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).get("param").asText()).isEqualTo("x-sim-latency-ms");
    }

    @Test
    void unknownPathGets404AndWrongMethodGets405() {
        assertThat(sim.send(sim.post("/openai/nothing", "{}", "api-key", "sim-secret")).statusCode()).isEqualTo(404);
        HttpResponse<String> get = sim.get("/v1/chat/completions");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
    }

    static JsonNode error(HttpResponse<String> r) {
        return SimHarness.json(r.body()).get("error");
    }
}
