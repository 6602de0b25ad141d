package dev.spillway.chat.flow;

import dev.spillway.retrieval.Hit;
import java.util.List;

/**
 * A finished turn: the answer text (follow-up markers removed, citations kept as
 * {@code [file#page=N]}), the search query used, the sources given to the model, the citations the
 * answer used, the follow-up questions, every step's record and the total token usage. Immutable.
 */
public record TurnResult(String answer, String query, List<Hit> sources, List<String> citations,
                         List<String> followUps, List<StepRecord> steps, TokenUsage usage) {
    public TurnResult {
        sources = List.copyOf(sources);
        citations = List.copyOf(citations);
        followUps = List.copyOf(followUps);
        steps = List.copyOf(steps);
    }
}
