package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Responses API on /openai/v1/responses and /v1/responses: body, typed events, tools, errors. */
class ResponsesTest {
    static final String TEXT = """
            {"model":"gpt-4o-ptu","input":"Say hello","instructions":"Be brief."}""";
    static final String TOOLS = """
            {"model":"gpt-4o-ptu","stream":true,"input":[{"role":"user","content":"What is the weather in Paris?"}],\
            "tools":[{"type":"function","name":"get_weather","description":"Current weather for a city",\
            "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}""";
    static SimHarness sim;

    @BeforeAll
    static void start() {
        sim = new SimHarness(SimulatorConfig.demo(), new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** Without per-token latency, so whole answers come at once. */
    static HttpResponse<String> responses(String body, String... headers) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("x-sim-per-token-ms", "0"),
                java.util.Arrays.stream(headers)).toArray(String[]::new);
        return sim.send(sim.post("/openai/v1/responses", body, all));
    }

    static String streamed(String body) {
        return body.replaceFirst("\\{", "{\"stream\":true,");
    }

    @Test
    void wholeResponseHasAMessageItemAndUsageInInputAndOutputTokens() {
        HttpResponse<String> r = responses(TEXT, "x-sim-completion-tokens", "3");
        assertThat(r.statusCode()).isEqualTo(200);
        String actual = Golden.normalize(r.body());
        assertThat(actual).isEqualTo(Golden.expect("responses-nonstream.json", actual));
        JsonNode json = SimHarness.json(r.body());
        assertThat(json.at("/usage/output_tokens").asInt()).isEqualTo(3);
        assertThat(json.at("/usage/total_tokens").asInt())
                .isEqualTo(json.at("/usage/input_tokens").asInt() + 3);
    }

    @Test
    void streamEventsFollowTheSpecOrderAndEndWithCompletedAndUsage() {
        HttpResponse<String> r = responses(streamed(TEXT), "x-sim-completion-tokens", "3");
        assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/event-stream");
        String actual = Golden.normalize(r.body());
        assertThat(actual).isEqualTo(Golden.expect("responses-stream.sse", actual));
        assertThat(eventTypes(r.body())).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
    }

    @Test
    void toolCallStreamsItsArgumentsAsTypedEvents() {
        String actual = Golden.normalize(responses(TOOLS).body());
        assertThat(actual).isEqualTo(Golden.expect("responses-stream-tool-call.sse", actual));
        JsonNode done = last(responses(TOOLS).body());
        assertThat(done.at("/response/output/0/type").asText()).isEqualTo("function_call");
        assertThat(done.at("/response/output/0/name").asText()).isEqualTo("get_weather");
        assertThat(SimHarness.json(done.at("/response/output/0/arguments").asText()).has("city")).isTrue();
    }

    @Test
    void sequenceNumbersCountFromZeroWithoutGaps() {
        List<JsonNode> events = events(responses(streamed(TEXT)).body());
        for (int i = 0; i < events.size(); i++) assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
    }

    @Test
    void streamedTextEqualsTheWholeResponsesText() {
        String whole = SimHarness.json(responses(TEXT).body()).at("/output/0/content/0/text").asText();
        StringBuilder deltas = new StringBuilder();
        for (JsonNode e : events(responses(streamed(TEXT)).body())) {
            if (e.get("type").asText().equals("response.output_text.delta")) deltas.append(e.get("delta").asText());
        }
        assertThat(deltas.toString()).isEqualTo(whole).isNotBlank();
        assertThat(last(responses(streamed(TEXT)).body()).at("/response/output/0/content/0/text").asText()).isEqualTo(whole);
    }

    @Test
    void answerCutAtMaxOutputTokensIsIncomplete() {
        String body = "{\"model\":\"gpt-4o-ptu\",\"input\":\"Tell me a long story\",\"max_output_tokens\":5}";
        JsonNode whole = SimHarness.json(responses(body).body());
        assertThat(whole.get("status").asText()).isEqualTo("incomplete");
        assertThat(whole.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
        assertThat(whole.at("/usage/output_tokens").asInt()).isEqualTo(5);
        assertThat(last(responses(streamed(body)).body()).get("type").asText()).isEqualTo("response.incomplete");
    }

    @Test
    void functionCallOutputInTheInputGetsATextAnswerAndPreviousResponseIdIsEchoed() {
        String body = """
                {"model":"gpt-4o-ptu","previous_response_id":"resp_abc","input":[\
                {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},\
                {"type":"function_call_output","call_id":"call_1","output":"{\\"temperature\\":21}"}],\
                "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}""";
        JsonNode r = SimHarness.json(responses(body).body());
        assertThat(r.at("/output/0/type").asText()).isEqualTo("message");
        assertThat(r.get("previous_response_id").asText()).isEqualTo("resp_abc");
        assertThat(r.at("/tools/0/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void openAiV1PathServesTheSameApi() {
        HttpResponse<String> r = sim.send(sim.post("/v1/responses", TEXT));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(SimHarness.json(r.body()).get("object").asText()).isEqualTo("response");
    }

    @Test
    void badRequestsAreNamedAndDeploymentRoutesHaveNoResponses() {
        assertThat(error(responses("{\"model\":\"gpt-4o-ptu\"}"))).isEqualTo("input");
        assertThat(error(responses("{\"model\":\"gpt-4o-ptu\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}")))
                .isEqualTo("tools[0].type");
        assertThat(error(responses("{\"model\":\"gpt-4o-ptu\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}")))
                .isEqualTo("input[0].role");
        HttpResponse<String> embeddings = responses("{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}");
        assertThat(embeddings.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(embeddings.body()).at("/error/code").asText()).isEqualTo("OperationNotSupported");
        assertThat(sim.send(sim.post("/openai/deployments/gpt-4o-ptu/responses?api-version=2025-03-01-preview", TEXT))
                .statusCode()).isEqualTo(404);
    }

    private static String error(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        return SimHarness.json(r.body()).at("/error/param").asText();
    }

    private static List<JsonNode> events(String sse) {
        List<JsonNode> out = new ArrayList<>();
        for (String data : SimHarness.frames(sse.replaceAll("(?m)^event: .*\n", ""))) out.add(SimHarness.json(data));
        return out;
    }

    private static List<String> eventTypes(String sse) {
        return events(sse).stream().map(e -> e.get("type").asText()).toList();
    }

    private static JsonNode last(String sse) {
        return events(sse).getLast();
    }
}
