package dev.spillway.chat.flow;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Keeps the most recent whole messages that fit a token budget, using the chars/4 estimate plus a
 * few tokens of per-message overhead (the role and separators). Stateless.
 */
public final class HistoryTrimmer {
    static final int MESSAGE_OVERHEAD_TOKENS = 4;

    private HistoryTrimmer() {
    }

    public static List<ChatMessage> trim(List<ChatMessage> history, int budgetTokens) {
        Deque<ChatMessage> kept = new ArrayDeque<>();
        int used = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            int cost = cost(history.get(i));
            if (used + cost > budgetTokens) break;
            used += cost;
            kept.addFirst(history.get(i));
        }
        return List.copyOf(kept);
    }

    public static int cost(ChatMessage m) {
        return TokenUsage.estimate(m.content()) + MESSAGE_OVERHEAD_TOKENS;
    }
}
