package dev.spillway.gateway.access.limit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The cheap admission estimate of DESIGN 4.2, with no tokenizer: prompt tokens are the characters
 * of all string content divided by four (plus a few per message), completion tokens are
 * {@code max_tokens} (or {@code max_completion_tokens}, or the configured default) times {@code n}.
 * Settlement later replaces it with the usage the backend reports. Immutable.
 */
public record TokenEstimate(long prompt, long completion) {
    private static final int PER_MESSAGE = 4;

    public long total() {
        return prompt + completion;
    }

    /** Estimates a chat, completion or embeddings body; {@code maxTokens} is the already-capped value. */
    public static TokenEstimate of(ObjectNode body, long maxTokens, boolean generates) {
        long chars = 0;
        long messages = 0;
        JsonNode m = body.get("messages");
        if (m != null && m.isArray()) {
            messages = m.size();
            for (JsonNode msg : m) chars += textChars(msg);
        }
        // legacy prompt, embeddings or Responses input, and the Responses API's instructions
        chars += textChars(body.get("prompt")) + textChars(body.get("input")) + textChars(body.get("instructions"));
        long prompt = (chars + 3) / 4 + messages * PER_MESSAGE;
        JsonNode n = body.get("n");
        long choices = n != null && n.canConvertToInt() && n.asInt() > 1 ? n.asInt() : 1;
        return new TokenEstimate(prompt, generates ? maxTokens * choices : 0);
    }

    /** The characters of every string inside {@code node} (content parts, tool arguments, names). */
    private static long textChars(JsonNode node) {
        if (node == null) return 0;
        if (node.isTextual()) return node.textValue().length();
        long sum = 0;
        if (node.isContainerNode()) for (JsonNode child : node) sum += textChars(child);
        return sum;
    }
}
