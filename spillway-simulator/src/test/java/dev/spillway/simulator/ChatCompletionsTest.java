package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionsTest {
    static final String HELLO = """
            {"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello"}]}""";
    static SimHarness sim;
    static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    @BeforeAll
    static void start() {
        sim = new SimHarness(SimulatorConfig.demo(), new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void nonStreamBodyMatchesGoldenShape() {
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", HELLO);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        String actual = Golden.normalize(r.body());
        assertThat(actual).isEqualTo(Golden.expect("chat-nonstream.json", actual));
    }

    @Test
    void responseCarriesAzureHeaders() {
        HttpResponse<String> r = sim.chat("gpt-4o-paygo", HELLO, "x-ms-client-request-id", "client-1");
        assertThat(r.headers().firstValue("apim-request-id")).get().asString().hasSize(36);
        assertThat(r.headers().firstValue("x-request-id")).isEqualTo(r.headers().firstValue("apim-request-id"));
        assertThat(r.headers().firstValue("x-ms-client-request-id")).hasValue("client-1");
        assertThat(r.headers().firstValue("x-ms-region")).isPresent();
        assertThat(r.headers().firstValue("x-ms-deployment-name")).hasValue("gpt-4o-paygo");
        assertThat(r.headers().firstValue("azureml-model-session")).isPresent();
        assertThat(r.headers().firstValue("x-ms-rai-invoked")).hasValue("true");
        assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    }

    @Test
    void usageCountsPromptWithChatOverheadAndCompletionWithTheTokenizer() {
        JsonNode body = SimHarness.json(sim.chat("gpt-4o-ptu", HELLO).body());
        int expectedPrompt = 3 + (3 + count("system") + count("You are terse."))
                + (3 + count("user") + count("Say hello"));
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(expectedPrompt);
        String content = body.at("/choices/0/message/content").asText();
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(count(content)).isEqualTo(100);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(expectedPrompt + 100);
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(body.at("/model").asText()).isEqualTo("gpt-4o-2024-11-20");
    }

    @Test
    void maxTokensCutsTheAnswerWithFinishReasonLength() {
        JsonNode body = SimHarness.json(sim.chat("gpt-4o-ptu", """
                {"messages":[{"role":"user","content":"Say hello"}],"max_tokens":7}""").body());
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(7);
        assertThat(count(body.at("/choices/0/message/content").asText())).isEqualTo(7);
    }

    @Test
    void maxCompletionTokensAlsoBoundsTheAnswer() {
        JsonNode body = SimHarness.json(sim.chat("gpt-4o-ptu", """
                {"messages":[{"role":"user","content":"Say hello"}],"max_completion_tokens":5}""").body());
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void completionTokensHeaderSetsTheAnswerLength() {
        JsonNode body = SimHarness.json(sim.chat("gpt-4o-ptu", HELLO, "x-sim-completion-tokens", "12").body());
        assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(12);
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(body.at("/choices/0/message/content").asText()).endsWith(".");
    }

    @Test
    void sameRequestGetsTheSameAnswerAndAnotherRequestAnotherAnswer() {
        String a = SimHarness.json(sim.chat("gpt-4o-ptu", HELLO).body()).at("/choices/0/message/content").asText();
        String b = SimHarness.json(sim.chat("gpt-4o-ptu", HELLO).body()).at("/choices/0/message/content").asText();
        String c = SimHarness.json(sim.chat("gpt-4o-ptu", HELLO.replace("hello", "goodbye")).body())
                .at("/choices/0/message/content").asText();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void legacyCompletionsAnswerWithTextCompletion() {
        try (SimHarness legacy = SimHarness.instruct()) {
            HttpResponse<String> r = legacy.send(legacy.post("/openai/deployments/instruct/completions?api-version=2024-10-21",
                    "{\"prompt\":\"Once upon a time\",\"max_tokens\":9}"));
            JsonNode body = SimHarness.json(r.body());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body.at("/object").asText()).isEqualTo("text_completion");
            assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(count("Once upon a time"));
            assertThat(body.at("/usage/completion_tokens").asInt()).isEqualTo(9);
            assertThat(count(body.at("/choices/0/text").asText())).isEqualTo(9);
        }
    }

    @Test
    void legacyCompletionsOnAChatModelIsOperationNotSupported() {
        HttpResponse<String> r = sim.send(sim.post("/openai/deployments/gpt-4o-ptu/completions?api-version=2024-10-21",
                "{\"prompt\":\"Once upon a time\",\"max_tokens\":9}"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(r.body()).at("/error/code").asText()).isEqualTo("OperationNotSupported");
        assertThat(SimHarness.json(r.body()).at("/error/message").asText()).contains("The completion operation does not work");
    }

    @Test
    void openAiStyleRoutesTakeTheDeploymentFromModel() {
        String body = "{\"model\":\"gpt-4o-paygo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (String path : new String[] {"/v1/chat/completions", "/openai/v1/chat/completions"}) {
            HttpResponse<String> r = sim.send(sim.post(path, body));
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("x-ms-deployment-name")).hasValue("gpt-4o-paygo");
        }
    }

    @Test
    void modelListsNameDeploymentsForOpenAiAndModelsForAzure() {
        JsonNode v1 = SimHarness.json(sim.get("/v1/models").body());
        assertThat(v1.findValuesAsText("id")).containsExactly("gpt-4o-ptu", "gpt-4o-paygo", "text-embedding-3-small");
        assertThat(SimHarness.json(sim.get("/openai/v1/models").body())).isEqualTo(v1);
        JsonNode azure = SimHarness.json(sim.get("/openai/models").body());
        assertThat(azure.findValuesAsText("id")).containsExactly("gpt-4o-2024-11-20", "text-embedding-3-small");
        assertThat(azure.at("/data/1/capabilities/embeddings").asBoolean()).isTrue();
    }

    static int count(String text) {
        return O200K.countTokensOrdinary(text);
    }
}
