package dev.spillway.gateway.ledger;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.spillway.core.wire.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads one SSE event's JSON for what {@link StreamTokenCounter} needs, the generated text and the
 * usage object, with Jackson's streaming parser, skipping everything else without building a tree
 * (a tree per frame, content-filter results and all, was most of the counter's remaining cost).
 * Text: {@code choices[].delta.content}, {@code .reasoning_content}, {@code .tool_calls[].function
 * .name} and {@code .arguments}, legacy {@code choices[].text}, and the Responses API's top-level
 * {@code delta} of a {@code *.delta} event. Usage: {@code usage}, or {@code response.usage} when the
 * event has a {@code response}. Stateless.
 */
final class StreamEvent {
    /** Reads a usage object in the middle of an event: the rest of the event follows it. */
    private static final ObjectReader USAGE = Json.MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StreamEvent() {
    }

    /** Hands each piece of generated text to {@code text}; returns the event's usage object, if any. */
    static Optional<JsonNode> read(byte[] bytes, int from, int length, Consumer<String> text) throws IOException {
        try (JsonParser p = Json.MAPPER.createParser(bytes, from, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Optional.empty();
            String type = "";
            String delta = null;
            JsonNode usage = null;
            Optional<JsonNode> responseUsage = Optional.empty();
            boolean response = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "choices" -> each(p, value, () -> choice(p, text));
                    case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "delta" -> delta = value == JsonToken.VALUE_STRING ? p.getText() : skip(p);
                    case "usage" -> usage = value == JsonToken.START_OBJECT ? USAGE.readTree(p) : skip(p);
                    case "response" -> {
                        response = true;
                        responseUsage = value == JsonToken.START_OBJECT ? usageOf(p) : Optional.ofNullable(skip(p));
                    }
                    default -> p.skipChildren();
                }
            }
            if (delta != null && type.endsWith(".delta")) text.accept(delta);
            return response ? responseUsage : Optional.ofNullable(usage);
        }
    }

    private interface Step {
        void run() throws IOException;
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

    private static void choice(JsonParser p, Consumer<String> text) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("delta") && value == JsonToken.START_OBJECT) choiceDelta(p, text);
            else if (name.equals("text") && value == JsonToken.VALUE_STRING) text.accept(p.getText());
            else p.skipChildren();
        }
    }

    private static void choiceDelta(JsonParser p, Consumer<String> text) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            boolean content = name.equals("content") || name.equals("reasoning_content");
            if (content && value == JsonToken.VALUE_STRING) text.accept(p.getText());
            else if (name.equals("tool_calls")) each(p, value, () -> toolCall(p, text));
            else p.skipChildren();
        }
    }

    private static void toolCall(JsonParser p, Consumer<String> text) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("function") && value == JsonToken.START_OBJECT) function(p, text);
            else p.skipChildren();
        }
    }

    private static void function(JsonParser p, Consumer<String> text) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            boolean wanted = name.equals("name") || name.equals("arguments");
            if (wanted && value == JsonToken.VALUE_STRING) text.accept(p.getText());
            else p.skipChildren();
        }
    }

    /** The {@code usage} object of the {@code response} object {@code p} stands at, if any. */
    private static Optional<JsonNode> usageOf(JsonParser p) throws IOException {
        JsonNode usage = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals("usage") && value == JsonToken.START_OBJECT) usage = USAGE.readTree(p);
            else p.skipChildren();
        }
        return Optional.ofNullable(usage);
    }

    /** Skips the value {@code p} stands at; returns null for the callers' "nothing here". */
    private static <T> T skip(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }
}
