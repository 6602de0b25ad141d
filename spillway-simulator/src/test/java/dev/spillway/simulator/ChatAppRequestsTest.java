package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.wire.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat app's own requests in extractive mode: the query rewrite and the follow-up questions. */
class ChatAppRequestsTest {
    /** The rewrite step's prompt as spillway-chat's flow.yaml words it. */
    static final String REWRITE_SYSTEM = """
            Below is the history of a conversation and a new question from the user. Generate a search
            query for the documents that would answer the new question, using the history for context.
            Do not include any text inside [] or <<>>.
            Reply with the query only. If you cannot generate a search query, reply with just the number 0.""";
    static final String ANSWER_SYSTEM = """
            Answer ONLY with the facts listed in the sources below. Always include the source name for
            each fact you use, in square brackets, for example [handbook.pdf#page=3].
            After the answer, suggest 3 very brief follow-up questions the user might
            ask next, each enclosed in double angle brackets, for example <<Are glasses covered?>>.

            Sources:
            [plan.pdf#page=4]: Northwind Health Plus covers eye exams once a year. Contact lenses are covered up to $150. Orthodontic braces require preauthorization.
            [plan.pdf#page=9]: Emergency ambulance transport is covered anywhere. Hearing aids are replaced every three years.
            [cafeteria.md]: The cafeteria serves lunch from noon to 2pm.""";
    static SimHarness sim;

    @BeforeAll
    static void start() {
        sim = new SimHarness(SimulatorConfig.demo(), new FakeClock());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static String reply(String deployment, List<Map<String, String>> messages) throws Exception {
        String body = Json.MAPPER.writeValueAsString(Map.of("messages", messages));
        JsonNode r = SimHarness.json(sim.chat(deployment, body).body());
        return r.at("/choices/0/message/content").asText();
    }

    static String rewrite(String transcript, String question) throws Exception {
        String user = "Conversation so far:\n" + transcript + "\n\nNew question: " + question + "\n\nSearch query:";
        return reply("gpt-4o-ptu", List.of(Map.of("role", "system", "content", REWRITE_SYSTEM),
                Map.of("role", "user", "content", user)));
    }

    @Test
    void rewriteRequestIsAnsweredWithTheQuestionsKeywords() throws Exception {
        assertThat(rewrite("(none)", "What is included in my Northwind Health Plus plan that is not in standard?"))
                .isEqualTo("included Northwind Health Plus plan standard");
    }

    @Test
    void followUpQuestionIsSearchedWithThePreviousTurnsTopic() throws Exception {
        String transcript = "user: Does Northwind Health Plus cover eye exams?\n"
                + "assistant: Yes, once a year [plan.pdf#page=4].";
        assertThat(rewrite(transcript, "What about dental?")).isEqualTo("Northwind Health Plus cover eye exams dental");
        assertThat(rewrite(transcript, "What about hearing aids?"))
                .isEqualTo("Northwind Health Plus cover eye exams hearing aids");
        assertThat(rewrite(transcript, "Is it free for children?"))
                .isEqualTo("Northwind Health Plus cover eye exams free children");
    }

    @Test
    void standaloneQuestionIgnoresTheConversation() throws Exception {
        String transcript = "user: Does Northwind Health Plus cover eye exams?\nassistant: Yes [plan.pdf#page=4].";
        assertThat(rewrite(transcript, "When does the cafeteria serve lunch?")).isEqualTo("cafeteria serve lunch");
    }

    @Test
    void conversationSentAsMessagesIsReadToo() throws Exception {
        String answer = reply("gpt-4o-ptu", List.of(Map.of("role", "system", "content", REWRITE_SYSTEM),
                Map.of("role", "user", "content", "How often are hearing aids replaced?"),
                Map.of("role", "assistant", "content", "Every three years [plan.pdf#page=9]."),
                Map.of("role", "user", "content", "And what does that cost?")));
        assertThat(answer).isEqualTo("hearing aids replaced cost");
    }

    @Test
    void questionWithoutContentWordsGetsZero() throws Exception {
        assertThat(rewrite("(none)", "What is it?")).isEqualTo("0");
    }

    @Test
    void answerEndsWithFollowUpsAboutTheCitedPassages() throws Exception {
        String answer = reply("gpt-4o-ptu", List.of(Map.of("role", "system", "content", ANSWER_SYSTEM),
                Map.of("role", "user", "content", "Does the plan cover eye exams?")));
        assertThat(answer).startsWith("Northwind Health Plus covers eye exams once a year. [plan.pdf#page=4]\n<<");
        List<String> followUps = answer.lines().filter(l -> l.startsWith("<<")).toList();
        assertThat(followUps).containsExactly("<<What about Contact lenses?>>",
                "<<What about Orthodontic braces?>>");
        assertThat(answer).doesNotContain("cafeteria", "ambulance");
    }

    @Test
    void followUpsNameNeighbouringWordsNotVerbsOrNumbers() throws Exception {
        String system = """
                Answer from the sources. Suggest 2 follow-up questions like <<Is it free?>>.
                [plan.pdf#page=9]: Emergency ambulance transport is covered anywhere. Additionally, hearing aid \
                fittings are included once every 3 years.
                [cafeteria.md]: The cafeteria serves lunch from noon to 2pm.""";
        String answer = reply("gpt-4o-ptu", List.of(Map.of("role", "system", "content", system),
                Map.of("role", "user", "content", "Is emergency ambulance transport available?")));
        assertThat(answer).isEqualTo("Emergency ambulance transport is covered anywhere. [plan.pdf#page=9]\n"
                + "<<What about hearing aid?>>");
    }

    @Test
    void noFollowUpsWhenThePromptAsksForNone() throws Exception {
        String system = ANSWER_SYSTEM.replaceAll("(?s)After the answer.*?>>\\.", "");
        String answer = reply("gpt-4o-ptu", List.of(Map.of("role", "system", "content", system),
                Map.of("role", "user", "content", "Are eye exams covered?")));
        assertThat(answer).doesNotContain("<<");
    }
}
