package dev.spillway.bench;

import java.util.Optional;

/**
 * Token counts a backend reported in a {@code usage} object, found by a cheap text scan instead of a
 * JSON parse so the load generator stays light at tens of thousands of responses per second. Immutable.
 */
record Usage(long promptTokens, long completionTokens) {
    private static final String USAGE = "\"usage\":{";
    private static final String USAGE_SPACED = "\"usage\": {";

    /** The usage object in a JSON body or SSE frame, when it has one that is not {@code null}. */
    static Optional<Usage> find(String json) {
        int at = json.indexOf(USAGE);
        if (at < 0) {
            at = json.indexOf(USAGE_SPACED);
        }
        if (at < 0) {
            return Optional.empty();
        }
        long prompt = number(json, "\"prompt_tokens\"", at);
        long completion = number(json, "\"completion_tokens\"", at);
        if (prompt < 0 && completion < 0) {
            return Optional.empty();
        }
        return Optional.of(new Usage(Math.max(prompt, 0), Math.max(completion, 0)));
    }

    /** The non-negative integer after {@code key} and a colon, or -1 when absent. */
    private static long number(String json, String key, int from) {
        int k = json.indexOf(key, from);
        if (k < 0) {
            return -1;
        }
        int i = k + key.length();
        while (i < json.length() && (json.charAt(i) == ':' || json.charAt(i) == ' ')) {
            i++;
        }
        long n = 0;
        int start = i;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            n = n * 10 + (json.charAt(i++) - '0');
        }
        return i > start ? n : -1;
    }
}
