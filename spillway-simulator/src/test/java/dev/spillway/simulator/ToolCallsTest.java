package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.testkit.FakeClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToolCallsTest {
    static final String TOOLS = """
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},
              "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}},
             {"type":"function","function":{"name":"search_documents","description":"Search the handbook",
              "parameters":{"type":"object","properties":{"query":{"type":"string"},"top":{"type":"integer"}}}}}]""";
    static SimHarness sim;

    @BeforeAll
    static void start() {
        sim = new SimHarness(SimulatorConfig.demo(), new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static JsonNode ask(String question, String extra) {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]," + TOOLS + extra + "}";
        return SimHarness.json(sim.chat("gpt-4o-ptu", body).body()).at("/choices/0");
    }

    @Test
    void toolsGiveAToolCallWithArgumentsMatchingTheParameters() {
        JsonNode choice = ask("What is the weather in Paris?", "");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").isNull()).isTrue();
        JsonNode call = choice.at("/message/tool_calls/0");
        assertThat(call.get("id").asText()).startsWith("call_");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        JsonNode args = SimHarness.json(call.at("/function/arguments").asText());
        assertThat(args.get("city").asText()).isEqualTo("Paris");
        assertThat(args.get("days").isInt()).isTrue();
        assertThat(args.get("unit").asText()).isEqualTo("celsius");
    }

    @Test
    void toolMatchingTheQuestionIsChosen() {
        assertThat(ask("Search the handbook for holidays", "").at("/message/tool_calls/0/function/name").asText())
                .isEqualTo("search_documents");
    }

    @Test
    void namedToolChoiceForcesThatFunction() {
        String forced = ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"search_documents\"}}";
        assertThat(ask("What is the weather in Paris?", forced).at("/message/tool_calls/0/function/name").asText())
                .isEqualTo("search_documents");
    }

    @Test
    void toolChoiceNoneAnswersWithText() {
        JsonNode choice = ask("What is the weather in Paris?", ",\"tool_choice\":\"none\"");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.at("/message/content").asText()).isNotEmpty();
    }

    @Test
    void conversationEndingWithToolResultGetsText() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]," + TOOLS + "}";
        JsonNode choice = SimHarness.json(sim.chat("gpt-4o-ptu", body).body()).at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.at("/message/tool_calls").isMissingNode()).isTrue();
    }

    @Test
    void unknownNamedToolGets400() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]," + TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}}";
        assertThat(sim.chat("gpt-4o-ptu", body).statusCode()).isEqualTo(400);
    }
}
