package dev.spillway.chat.flow;

import java.util.List;
import java.util.Set;

/**
 * One question to answer: the question, the conversation before it (oldest first), the user's
 * settings and the signed-in user's access groups (from the session, never from the request). Immutable.
 */
public record ChatTurn(String question, List<ChatMessage> history, SearchSettings settings, Set<String> groups) {
    public ChatTurn {
        if (question == null || question.isBlank()) throw new IllegalArgumentException("question: must not be empty");
        history = List.copyOf(history);
        groups = Set.copyOf(groups);
    }
}
