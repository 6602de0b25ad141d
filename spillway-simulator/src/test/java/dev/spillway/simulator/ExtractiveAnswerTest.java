package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExtractiveAnswerTest {
    static final String SYSTEM = """
            Answer using only the sources below. Cite each fact.
            [benefits.pdf#page=3]: Employees receive 25 days of paid vacation each year. Unused vacation days expire in March.
            [security.pdf#page=7]: Laptops must be encrypted. Passwords rotate every 90 days.
            [cafeteria.md]: The cafeteria serves lunch from noon to 2pm.""";
    static SimHarness sim;

    @BeforeAll
    static void start() {
        SimulatorConfig config = SimulatorConfig.demo().withDeployment(
                DeploymentConfig.payAsYouGo("generator", "gpt-4o-2024-11-20", 100_000).withAnswerMode(AnswerMode.GENERATE));
        sim = new SimHarness(config, new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static String body(String system, String question) throws Exception {
        return Json.MAPPER.writeValueAsString(Map.of("messages", List.of(
                Map.of("role", "system", "content", system), Map.of("role", "user", "content", question))));
    }

    static String answer(String deployment, String system, String question) throws Exception {
        JsonNode r = SimHarness.json(sim.chat(deployment, body(system, question)).body());
        return r.at("/choices/0/message/content").asText();
    }

    @Test
    void answerComesFromTheRelevantSourceWithItsCitation() throws Exception {
        String a = answer("gpt-4o-ptu", SYSTEM, "How many vacation days do employees get?");
        assertThat(a).startsWith("Employees receive 25 days of paid vacation each year. [benefits.pdf#page=3]");
        assertThat(a).doesNotContain("[cafeteria.md]");
    }

    @Test
    void otherQuestionCitesAnotherSource() throws Exception {
        assertThat(answer("gpt-4o-ptu", SYSTEM, "How often do passwords rotate?"))
                .startsWith("Passwords rotate every 90 days. [security.pdf#page=7]");
    }

    @Test
    void sourcesInTheUserMessageWorkToo() throws Exception {
        String user = "When is lunch served?\n\nSources:\ncafeteria.md: The cafeteria serves lunch from noon to 2pm.";
        assertThat(answer("gpt-4o-ptu", "You are helpful.", user))
                .isEqualTo("The cafeteria serves lunch from noon to 2pm. [cafeteria.md]");
    }

    @Test
    void generateModeIgnoresSources() throws Exception {
        assertThat(answer("generator", SYSTEM, "How many vacation days do employees get?")).doesNotContain("[benefits");
    }

    @Test
    void generateModeAnswersARewriteRequestWithGeneratedText() throws Exception {
        String rewrite = "Generate a search query for the new question. Reply with the query only.";
        assertThat(answer("generator", rewrite, "New question: Are eye exams covered?"))
                .isNotEqualTo("eye exams covered");
        assertThat(answer("gpt-4o-ptu", rewrite, "New question: Are eye exams covered?")).isEqualTo("eye exams covered");
    }

    @Test
    void usageCountsTheExtractedAnswer() throws Exception {
        JsonNode r = SimHarness.json(sim.chat("gpt-4o-ptu", body(SYSTEM, "How often do passwords rotate?")).body());
        String content = r.at("/choices/0/message/content").asText();
        assertThat(r.at("/usage/completion_tokens").asInt()).isEqualTo(ChatCompletionsTest.count(content));
    }

    @Test
    void streamedExtractiveAnswerIsTheSameText() throws Exception {
        String streamBody = body(SYSTEM, "How often do passwords rotate?").replaceFirst("\\{", "{\"stream\":true,");
        StringBuilder streamed = new StringBuilder();
        for (String f : SimHarness.frames(sim.chat("gpt-4o-ptu", streamBody).body())) {
            if (!f.equals("[DONE]")) streamed.append(SimHarness.json(f).at("/choices/0/delta/content").asText(""));
        }
        assertThat(streamed.toString()).isEqualTo(answer("gpt-4o-ptu", SYSTEM, "How often do passwords rotate?"));
    }
}
