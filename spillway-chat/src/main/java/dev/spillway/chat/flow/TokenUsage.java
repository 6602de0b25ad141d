package dev.spillway.chat.flow;

/**
 * Tokens a model call used. {@code estimated} is true when the backend reported none and the
 * numbers are the chars/4 estimate. Immutable.
 */
public record TokenUsage(int promptTokens, int completionTokens, boolean estimated) {
    public static final TokenUsage NONE = new TokenUsage(0, 0, false);

    public int totalTokens() {
        return promptTokens + completionTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                estimated || other.estimated);
    }

    /** The cheap estimate used for budgets and for calls whose usage was not reported: ~4 chars a token. */
    public static int estimate(String text) {
        return (text.length() + 3) / 4;
    }
}
