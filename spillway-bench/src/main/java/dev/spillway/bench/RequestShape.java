package dev.spillway.bench;

/** Size of each generated chat request: about {@code contextTokens} prompt tokens and {@code maxTokens}. Immutable. */
public record RequestShape(int contextTokens, int maxTokens) {
    public RequestShape {
        if (contextTokens < 1) {
            throw new IllegalArgumentException("context-tokens: must be > 0, was " + contextTokens);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max-tokens: must be > 0, was " + maxTokens);
        }
    }
}
