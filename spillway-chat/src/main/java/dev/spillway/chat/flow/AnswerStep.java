package dev.spillway.chat.flow;

import dev.spillway.retrieval.Hit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Step 3: the grounded prompt (instructions and {@code [citation]: text} sources, the history
 * trimmed to its token budget, the question) and the streamed answer.
 */
final class AnswerStep implements FlowStep {
    private final FlowDefinition.StepSpec spec;
    private final ChatModel model;
    private final int historyBudget;
    private final int followUpCount;

    AnswerStep(FlowDefinition.StepSpec spec, ChatModel model, int historyBudget, int followUpCount) {
        this.spec = spec;
        this.model = model;
        this.historyBudget = historyBudget;
        this.followUpCount = followUpCount;
    }

    @Override
    public String name() {
        return "answer";
    }

    @Override
    public void run(TurnState state) {
        List<ChatMessage> prompt = prompt(state);
        double temperature = spec.temperature().orElse(state.turn.settings().temperature());
        state.input("messages", prompt.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
        state.input("temperature", temperature);
        FollowUpStreamFilter filter = new FollowUpStreamFilter(state.onDelta);
        ChatModel.Reply reply = model.complete(new ChatModel.Request(prompt, temperature, spec.maxTokens(),
                state.turn.groups()), filter);
        filter.finish();
        state.addUsage(reply.usage());
        state.answer = FollowUps.strip(reply.text());
        state.followUps = FollowUps.parse(reply.text(), Math.max(followUpCount, 1));
        state.citations = FollowUps.citationsUsed(state.answer, state.hits);
        state.output("citations", state.citations);
        state.output("answer-chars", state.answer.length());
    }

    private List<ChatMessage> prompt(TurnState state) {
        Map<String, String> values = Map.of("sources", sources(state.hits), "question", state.turn.question(),
                "follow-up-count", Integer.toString(followUpCount));
        List<ChatMessage> prompt = new ArrayList<>();
        prompt.add(ChatMessage.system(spec.system().render(values)));
        List<ChatMessage> history = HistoryTrimmer.trim(state.turn.history(), historyBudget);
        for (ChatMessage m : history) prompt.add(new ChatMessage(m.role(), FollowUps.strip(m.content())));
        prompt.add(ChatMessage.user(spec.user().render(values)));
        state.input("history-messages", history.size() + " of " + state.turn.history().size());
        return prompt;
    }

    /** One line per source, {@code [citation]: text}, the form the simulator's extractive mode reads. */
    static String sources(List<Hit> hits) {
        if (hits.isEmpty()) return "(no sources found)";
        return hits.stream().map(h -> "[" + h.citation() + "]: " + h.text().replaceAll("\\s+", " ").strip())
                .collect(Collectors.joining("\n"));
    }
}
