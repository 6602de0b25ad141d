package dev.spillway.chat.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.chat.FakeChatModel;
import dev.spillway.chat.FakeRetriever;
import dev.spillway.chat.MutableClock;
import dev.spillway.retrieval.SearchMode;
import dev.spillway.retrieval.SearchRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrchestratorTest {
    private final FakeChatModel model = new FakeChatModel();
    private final FakeRetriever retriever = FakeRetriever.handbook();
    private final List<StepRecord> heard = new ArrayList<>();
    private final SearchSettings settings = new SearchSettings(SearchMode.TEXT, 2, 0.7);

    private Orchestrator orchestrator(int historyBudget) {
        return new Orchestrator(FlowDefinition.builtIn(), model, retriever, historyBudget,
                new MutableClock(Instant.EPOCH), heard::add);
    }

    private TurnResult ask(String question, List<ChatMessage> history, List<String> deltas) {
        return orchestrator(2000).run(new ChatTurn(question, history, settings, Set.of("hr", "staff")), deltas::add);
    }

    @Test
    void rewrittenQueryIsWhatGetsSearchedWithTheUsersSettingsAndGroups() {
        TurnResult r = ask("and how many days?", List.of(ChatMessage.user("Tell me about vacation"),
                ChatMessage.assistant("Vacation is paid [handbook.pdf#page=3].")), new ArrayList<>());
        SearchRequest search = retriever.requests.getFirst();
        assertThat(search.query()).isEqualTo("vacation days per year");
        assertThat(search.mode()).isEqualTo(SearchMode.TEXT);
        assertThat(search.topK()).isEqualTo(2);
        assertThat(search.groups()).containsExactlyInAnyOrder("hr", "staff");
        assertThat(r.query()).isEqualTo("vacation days per year");
        assertThat(model.requests.getFirst().messages().getLast().content())
                .contains("user: Tell me about vacation", "New question: and how many days?");
    }

    @Test
    void failedRewriteFallsBackToTheRawQuestion() {
        model.failRewrite = true;
        TurnResult r = ask("How many vacation days?", List.of(), new ArrayList<>());
        assertThat(retriever.requests.getFirst().query()).isEqualTo("How many vacation days?");
        assertThat(r.steps().getFirst().outputs().get("fallback").toString()).contains("429");
    }

    @Test
    void modelReplyingZeroMeansSearchTheQuestionAsAsked() {
        model.query = "0";
        ask("hello there", List.of(), new ArrayList<>());
        assertThat(retriever.requests.getFirst().query()).isEqualTo("hello there");
    }

    @Test
    void rewriteSharingNoWordWithTheConversationIsIgnored() {
        model.query = "quantum zebra lattice";
        TurnResult r = ask("and how many days?", List.of(ChatMessage.user("Tell me about vacation"),
                ChatMessage.assistant("Vacation is paid [handbook.pdf#page=3].")), new ArrayList<>());
        assertThat(retriever.requests.getFirst().query()).isEqualTo("and how many days?");
        assertThat(r.steps().getFirst().outputs().get("fallback").toString())
                .contains("'quantum zebra lattice' shares no word with the conversation");
    }

    @Test
    void rewriteUsingAWordOfAnEarlierTurnIsKept() {
        model.query = "vacations";
        ask("and how many days?", List.of(ChatMessage.user("Tell me about vacation")), new ArrayList<>());
        assertThat(retriever.requests.getFirst().query()).isEqualTo("vacations");
    }

    @Test
    void sourcesReachThePromptAsCitationLinesUnderASourcesHeading() {
        ask("How many vacation days?", List.of(), new ArrayList<>());
        ChatModel.Request answer = model.answerRequest();
        String system = answer.messages().getFirst().content();
        assertThat(system).contains("Sources:\n[handbook.pdf#page=3]: Employees get 25 days of paid vacation per year.\n"
                + "[benefits.md#dental]: Dental cleanings are covered twice a year.");
        assertThat(answer.messages().getLast()).isEqualTo(ChatMessage.user("How many vacation days?"));
        assertThat(answer.temperature()).isEqualTo(0.7);
    }

    @Test
    void answerStreamsAndKeepsItsCitations() {
        List<String> deltas = new ArrayList<>();
        TurnResult r = ask("How many vacation days?", List.of(), deltas);
        assertThat(String.join("", deltas)).isEqualTo("You get 25 days of vacation [handbook.pdf#page=3].");
        assertThat(r.answer()).contains("[handbook.pdf#page=3]");
        assertThat(r.citations()).containsExactly("handbook.pdf#page=3");
        assertThat(r.usage().totalTokens()).isEqualTo(45 + 150);
    }

    @Test
    void historyIsTrimmedToTheTokenBudgetKeepingTheNewestMessages() {
        List<ChatMessage> history = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            history.add(ChatMessage.user("question " + i + " " + "x".repeat(400)));
            history.add(ChatMessage.assistant("answer " + i + " " + "y".repeat(400)));
        }
        orchestrator(330).run(new ChatTurn("next?", history, settings, Set.of()), d -> { });
        List<ChatMessage> sent = model.answerRequest().messages();
        List<ChatMessage> middle = sent.subList(1, sent.size() - 1);
        assertThat(middle).hasSize(3);
        assertThat(middle.getLast().content()).startsWith("answer 9");
        assertThat(middle.getFirst().content()).startsWith("answer 8");
        assertThat(middle.stream().mapToInt(HistoryTrimmer::cost).sum()).isLessThanOrEqualTo(330);
    }

    @Test
    void followUpsProposedByTheModelAreOfferedButNeverStreamed() {
        model.answer = req -> "25 days [handbook.pdf#page=3].\n<<Can I carry days over?>><<Who approves leave?>>";
        List<String> deltas = new ArrayList<>();
        TurnResult r = ask("How many vacation days?", List.of(), deltas);
        assertThat(String.join("", deltas)).doesNotContain("<<").doesNotContain("carry");
        assertThat(r.answer()).isEqualTo("25 days [handbook.pdf#page=3].");
        assertThat(r.followUps()).containsExactly("Can I carry days over?", "Who approves leave?");
    }

    @Test
    void followUpsAreDerivedFromSourcesWhenTheAnswerHasNone() {
        TurnResult r = ask("How many vacation days?", List.of(), new ArrayList<>());
        assertThat(r.followUps()).containsExactly("What does handbook.pdf say about Vacation?",
                "What does benefits.md say about Dental?");
        assertThat(r.steps().getLast().outputs()).containsEntry("origin", "derived from sources");
    }

    @Test
    void everyStepIsRecordedAndReportedToTheListener() {
        TurnResult r = ask("How many vacation days?", List.of(), new ArrayList<>());
        assertThat(r.steps()).extracting(StepRecord::step).containsExactly("rewrite", "retrieve", "answer", "follow-ups");
        assertThat(heard).isEqualTo(r.steps());
        assertThat(r.steps().get(1).outputs().get("hits").toString()).contains("handbook.pdf#page=3", "score=0.91");
        assertThat(r.steps().get(2).outputs()).containsKey("tokens");
    }

    @Test
    void answerFailureSurfacesAsModelException() {
        model.answer = req -> {
            throw new ChatModel.ModelException("the model stream ended before [DONE]");
        };
        assertThatThrownBy(() -> ask("q?", List.of(), new ArrayList<>())).isInstanceOf(ChatModel.ModelException.class);
    }
}
