package dev.spillway.gateway.pipeline;

/**
 * Tokens one request used. {@code reported} is true when the backend said so (the {@code usage}
 * field or the stream's usage chunk), false when Spillway had to count or estimate. Immutable.
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens, boolean reported) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, false);

    /**
     * The usage a backend reported in a {@code usage} object: chat and completions name the fields
     * {@code prompt_tokens}/{@code completion_tokens}, the Responses API {@code input_tokens}/
     * {@code output_tokens} (with {@code input_tokens_details}/{@code output_tokens_details}).
     */
    public static Usage reported(com.fasterxml.jackson.databind.JsonNode u) {
        boolean responses = u.has("input_tokens") || u.has("output_tokens");
        String in = responses ? "input_tokens" : "prompt_tokens";
        String out = responses ? "output_tokens" : "completion_tokens";
        return new Usage(u.path(in).asLong(), u.path(out).asLong(),
                u.path(in + "_details").path("cached_tokens").asLong(),
                u.path(out + "_details").path("reasoning_tokens").asLong(), true);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
