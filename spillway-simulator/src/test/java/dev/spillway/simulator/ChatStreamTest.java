package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatStreamTest {
    static final String STREAM = """
            {"stream":true,"max_tokens":3,"messages":[{"role":"user","content":"Say hello"}]}""";
    static final String STREAM_WITH_USAGE = """
            {"stream":true,"stream_options":{"include_usage":true},"max_tokens":3,\
            "messages":[{"role":"user","content":"Say hello"}]}""";
    static final String TOOLS = """
            {"stream":true,"messages":[{"role":"user","content":"What is the weather in Paris?"}],\
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",\
            "parameters":{"type":"object","properties":{"city":{"type":"string"},\
            "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}}]}""";
    static SimHarness sim;

    @BeforeAll
    static void start() {
        sim = new SimHarness(SimulatorConfig.demo(), new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void streamFramesFollowAzureOrder() {
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", STREAM);
        assertThat(r.headers().firstValue("content-type")).get().asString().startsWith("text/event-stream");
        String actual = Golden.normalize(r.body());
        assertThat(actual).isEqualTo(Golden.expect("chat-stream.sse", actual));
    }

    @Test
    void usageChunkComesOnlyWhenAskedAndEarlierFramesCarryNullUsage() {
        String actual = Golden.normalize(sim.chat("gpt-4o-ptu", STREAM_WITH_USAGE).body());
        assertThat(actual).isEqualTo(Golden.expect("chat-stream-include-usage.sse", actual));
        List<String> frames = SimHarness.frames(sim.chat("gpt-4o-ptu", STREAM_WITH_USAGE).body());
        JsonNode usage = SimHarness.json(frames.get(frames.size() - 2));
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(frames.subList(1, frames.size() - 2))
                .allSatisfy(f -> assertThat(SimHarness.json(f).get("usage").isNull()).isTrue());
        assertThat(SimHarness.frames(sim.chat("gpt-4o-ptu", STREAM).body())).noneMatch(f -> f.contains("usage"));
    }

    @Test
    void streamOptionsAreRefusedAtApiVersionsBefore2024_09LikeAzure() {
        HttpResponse<String> old = sim.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-06-01",
                STREAM_WITH_USAGE));
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(SimHarness.json(old.body()).at("/error/message").asText()).contains("stream_options");
        assertThat(sim.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-06-01", STREAM))
                .statusCode()).isEqualTo(200);
        assertThat(sim.send(sim.post("/openai/deployments/gpt-4o-ptu/chat/completions?api-version=2024-09-01-preview",
                STREAM_WITH_USAGE)).statusCode()).isEqualTo(200);
    }

    @Test
    void everyChunkCarriesTheSameIdAndCreated() {
        List<String> frames = SimHarness.frames(sim.chat("gpt-4o-ptu", STREAM_WITH_USAGE).body());
        List<JsonNode> chunks = frames.subList(1, frames.size() - 1).stream().map(SimHarness::json).toList();
        assertThat(chunks).extracting(c -> c.get("id").asText()).containsOnly(chunks.get(0).get("id").asText());
        assertThat(chunks).extracting(c -> c.get("created").asLong()).containsOnly(chunks.get(0).get("created").asLong());
        assertThat(frames.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void streamedTextEqualsTheNonStreamedAnswer() {
        String plain = STREAM.replace("\"stream\":true,", "");
        String whole = SimHarness.json(sim.chat("gpt-4o-ptu", plain).body()).at("/choices/0/message/content").asText();
        StringBuilder streamed = new StringBuilder();
        for (String f : SimHarness.frames(sim.chat("gpt-4o-ptu", STREAM).body())) {
            if (!f.equals("[DONE]")) streamed.append(SimHarness.json(f).at("/choices/0/delta/content").asText(""));
        }
        assertThat(streamed.toString()).isEqualTo(whole);
    }

    @Test
    void toolCallsStreamAsAzureDoes() {
        HttpResponse<String> r = sim.chat("gpt-4o-ptu", TOOLS);
        String actual = Golden.normalize(r.body());
        assertThat(actual).isEqualTo(Golden.expect("chat-stream-tool-call.sse", actual));
        StringBuilder arguments = new StringBuilder();
        for (String f : SimHarness.frames(r.body())) {
            if (!f.equals("[DONE]")) {
                arguments.append(SimHarness.json(f).at("/choices/0/delta/tool_calls/0/function/arguments").asText(""));
            }
        }
        assertThat(SimHarness.json(arguments.toString()).get("city").asText()).isEqualTo("Paris");
    }

    @Test
    void longStreamIsWrittenWholeThroughTheWriteQueue() {
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"essay\"}]}";
        List<String> frames = SimHarness.frames(sim.chat("gpt-4o-ptu", body, "x-sim-completion-tokens", "10000").body());
        assertThat(frames).hasSize(10_000 + 4);
        assertThat(frames.getLast()).isEqualTo("[DONE]");
        assertThat(SimHarness.json(frames.get(frames.size() - 2)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void legacyCompletionsStreamTextChunks() {
        try (SimHarness legacy = SimHarness.instruct()) {
            String body = legacy.send(legacy.post("/openai/deployments/instruct/completions?api-version=2024-10-21",
                    "{\"prompt\":\"Once\",\"max_tokens\":2,\"stream\":true}")).body();
            List<String> frames = SimHarness.frames(body);
            assertThat(frames).hasSize(5);
            assertThat(SimHarness.json(frames.get(1)).at("/object").asText()).isEqualTo("text_completion");
            assertThat(SimHarness.json(frames.get(3)).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        }
    }
}
