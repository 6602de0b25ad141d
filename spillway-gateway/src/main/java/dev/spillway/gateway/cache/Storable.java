package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Whether a whole {@code chat.completion} may be kept: exactly one choice, ended by the model
 * ({@code stop}, {@code length} or a tool call; never {@code content_filter} or missing), with no
 * backend filter result that says {@code filtered: true} on the prompt or the answer. Stateless.
 */
final class Storable {
    private static final Set<String> FINISHED = Set.of("stop", "length", "tool_calls", "function_call");

    private Storable() {
    }

    static boolean completion(JsonNode c) {
        if (!"chat.completion".equals(c.path("object").asText())) return false;
        JsonNode choices = c.path("choices");
        if (choices.size() != 1 || choices.get(0).path("index").asInt(0) != 0) return false;
        JsonNode choice = choices.get(0);
        return choice.path("message").isObject() && FINISHED.contains(choice.path("finish_reason").asText())
                && !filtered(choice.path("content_filter_results")) && !filteredPrompt(c.path("prompt_filter_results"));
    }

    /** Azure's {@code prompt_filter_results}: a list of {@code {prompt_index, content_filter_results}}. */
    static boolean filteredPrompt(JsonNode results) {
        for (JsonNode r : results) if (filtered(r.path("content_filter_results"))) return true;
        return false;
    }

    /** Any category ({@code hate}, {@code jailbreak}, ...) with {@code filtered: true}. */
    static boolean filtered(JsonNode results) {
        for (JsonNode category : results) if (category.path("filtered").asBoolean(false)) return true;
        return false;
    }
}
