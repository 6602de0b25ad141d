package dev.spillway.chat.flow;

import dev.spillway.retrieval.ContentWords;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Step 1: asks the model for a standalone search query from the trimmed history and the question.
 * Falls back to the raw question when the call fails, the model answers "0" or nothing, or its query
 * shares no content word with the conversation (a model that drifted off the topic: searching its
 * words would cite passages unrelated to anything the user said).
 */
final class RewriteStep implements FlowStep {
    private final FlowDefinition.StepSpec spec;
    private final ChatModel model;
    private final int historyBudget;

    RewriteStep(FlowDefinition.StepSpec spec, ChatModel model, int historyBudget) {
        this.spec = spec;
        this.model = model;
        this.historyBudget = historyBudget;
    }

    @Override
    public String name() {
        return "rewrite";
    }

    @Override
    public void run(TurnState state) {
        List<ChatMessage> history = HistoryTrimmer.trim(state.turn.history(), historyBudget);
        String transcript = history.isEmpty() ? "(none)" : history.stream()
                .map(m -> m.role() + ": " + FollowUps.strip(m.content()))
                .collect(Collectors.joining("\n"));
        Map<String, String> values = Map.of("history", transcript, "question", state.turn.question());
        List<ChatMessage> prompt = List.of(ChatMessage.system(spec.system().render(values)),
                ChatMessage.user(spec.user().render(values)));
        state.input("question", state.turn.question());
        state.input("history-messages", history.size());
        try {
            ChatModel.Reply reply = model.complete(new ChatModel.Request(prompt, spec.temperature().orElse(0.0),
                    spec.maxTokens(), state.turn.groups()), delta -> { });
            state.addUsage(reply.usage());
            String query = clean(reply.text());
            if (query.isEmpty() || query.equals("0")) {
                state.output("fallback", "the model gave no query; searching the question as asked");
            } else if (!ContentWords.shareAny(query, transcript + "\n" + state.turn.question())) {
                state.output("fallback", "the model's query '" + query
                        + "' shares no word with the conversation; searching the question as asked");
            } else {
                state.query = query;
            }
        } catch (ChatModel.ModelException e) {
            state.output("fallback", "the model call failed (" + e.getMessage() + "); searching the question as asked");
        }
        state.output("query", state.query);
    }

    private static String clean(String reply) {
        String q = reply.strip();
        if (q.length() >= 2 && q.startsWith("\"") && q.endsWith("\"")) q = q.substring(1, q.length() - 1).strip();
        return q;
    }
}
