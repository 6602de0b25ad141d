package dev.spillway.gateway.pipeline;

/**
 * Tokens one request used. {@code reported} is true when the backend said so (the {@code usage}
 * field or the stream's usage chunk), false when Spillway had to count or estimate. Immutable.
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, boolean reported) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, false);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
