package dev.spillway.gateway.route;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.pipeline.GeneratedText;
import java.io.IOException;

/**
 * Reads one SSE event's JSON for all the stream meter needs, in one pass of Jackson's streaming
 * parser over the frame's bytes where they lie, skipping everything else without building a tree
 * (a tree per frame, content-filter results and all, was most of the relay's cost). Usage:
 * {@code usage}, or {@code response.usage} when the event has a {@code response} (the Responses
 * API's {@code response.completed}); whether it is the chat usage chunk ({@code "choices":[]});
 * whether it carries the {@code "usage":null} mark. Generated text, handed to {@link GeneratedText}
 * from the parser's buffer: {@code choices[].delta.content}, {@code .reasoning_content},
 * {@code .tool_calls[].function.name} and {@code .arguments}, legacy {@code choices[].text}, and the
 * Responses API's top-level {@code delta} of a {@code *.delta} event. One per stream, reused for
 * each frame; event-loop confined.
 */
final class StreamEvent {
    /** Reads a usage object in the middle of an event: the rest of the event follows it. */
    private static final ObjectReader USAGE = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final GeneratedText text;
    private JsonNode usage;
    private boolean usageChunk;
    private boolean usageNull;

    StreamEvent(GeneratedText text) {
        this.text = text;
    }

    /** The last event's usage object, or null. */
    JsonNode usage() { return usage; }
    /** Whether the last event was the chat usage chunk: a usage object and {@code "choices":[]}. */
    boolean usageChunk() { return usageChunk; }
    /** Whether the last event had a top-level {@code "usage":null}, the mark asking for usage adds. */
    boolean usageNull() { return usageNull; }

    /**
     * Reads the JSON object starting at {@code bytes[from]}; the read stops at its close, so what
     * follows it before {@code from + length} (the frame's end) is never looked at.
     */
    void read(byte[] bytes, int from, int length) throws IOException {
        usage = null;
        usageChunk = false;
        usageNull = false;
        try (JsonParser p = Json.MAPPER.createParser(bytes, from, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return;
            String type = "";
            String delta = null;
            boolean noChoices = false;
            JsonNode responseUsage = null;
            boolean response = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "choices" -> noChoices = choices(p, value);
                    case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "delta" -> delta = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                    case "usage" -> {
                        usageNull = value == JsonToken.VALUE_NULL;
                        usage = value == JsonToken.START_OBJECT ? USAGE.readTree(p) : skip(p);
                    }
                    case "response" -> {
                        response = true;
                        responseUsage = value == JsonToken.START_OBJECT ? usageOf(p) : skip(p);
                    }
                    default -> p.skipChildren();
                }
            }
            if (delta != null && type.endsWith(".delta")) text.append(delta.toCharArray(), 0, delta.length());
            if (response) usage = responseUsage;
            else usageChunk = usage != null && noChoices;
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Reads the {@code choices} array {@code p} stands at; true when it is empty. */
    private boolean choices(JsonParser p, JsonToken value) throws IOException {
        boolean empty = true;
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return false;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            empty = false;
            if (t == JsonToken.START_OBJECT) choice(p);
            else p.skipChildren();
        }
        return empty;
    }

    /** Runs {@code element} on each object of the array {@code p} stands at; skips anything else. */
    private static void each(JsonParser p, JsonToken value, Step element) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT) element.run();
            else p.skipChildren();
        }
    }

    private void choice(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("delta") && value == JsonToken.START_OBJECT) choiceDelta(p);
            else if (name.equals("text") && value == JsonToken.VALUE_STRING) text(p);
            else p.skipChildren();
        }
    }

    private void choiceDelta(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            boolean content = name.equals("content") || name.equals("reasoning_content");
            if (content && value == JsonToken.VALUE_STRING) text(p);
            else if (name.equals("tool_calls")) each(p, value, () -> toolCall(p));
            else p.skipChildren();
        }
    }

    private void toolCall(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("function") && value == JsonToken.START_OBJECT) function(p);
            else p.skipChildren();
        }
    }

    private void function(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            boolean wanted = name.equals("name") || name.equals("arguments");
            if (wanted && value == JsonToken.VALUE_STRING) text(p);
            else p.skipChildren();
        }
    }

    /** The string value {@code p} stands at, from the parser's own buffer (no String made). */
    private void text(JsonParser p) throws IOException {
        text.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /** The {@code usage} object of the {@code response} object {@code p} stands at, or null. */
    private static JsonNode usageOf(JsonParser p) throws IOException {
        JsonNode usage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("usage") && value == JsonToken.START_OBJECT) usage = USAGE.readTree(p);
            else p.skipChildren();
        }
        return usage;
    }

    /** Skips the value {@code p} stands at; returns null for the callers' "nothing here". */
    private static <T> T skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }
}
