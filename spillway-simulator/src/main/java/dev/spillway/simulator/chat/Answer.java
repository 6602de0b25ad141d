package dev.spillway.simulator.chat;

import java.util.Iterator;
import java.util.function.Supplier;

/** What one simulated completion says, decided before any byte is written. Immutable. */
sealed interface Answer {
    int completionTokens();

    String finishReason();

    /**
     * Text, produced piece by piece: one piece per stream content frame, so a long generated answer
     * is never held in memory whole.
     */
    record Text(Supplier<Iterator<String>> pieces, int completionTokens, String finishReason) implements Answer {
        String whole() {
            StringBuilder sb = new StringBuilder();
            for (Iterator<String> it = pieces.get(); it.hasNext(); ) sb.append(it.next());
            return sb.toString();
        }
    }

    /** One function call; {@code arguments} is a JSON object as text. */
    record ToolCall(String id, String name, String arguments, int completionTokens) implements Answer {
        @Override
        public String finishReason() {
            return "tool_calls";
        }
    }
}
