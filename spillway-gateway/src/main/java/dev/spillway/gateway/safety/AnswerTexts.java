package dev.spillway.gateway.safety;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.spillway.core.wire.BufferBytes;
import dev.spillway.core.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * Reads the texts a whole answer's output checks judge straight off its bytes with Jackson's
 * streaming parser, building no tree: each choice's message {@code content} (a completion's
 * {@code text}) and its tool calls' {@code function.arguments}. Most answers hold nothing to
 * change, and then their bytes go on as they came; only an answer with a finding is parsed into a
 * tree to edit. It reads every text that tree walk reads, and more when a key repeats (a tree keeps
 * the last), so it never misses one. Each method starts on a value's first token and reads to its
 * end. One per answer; not thread-safe.
 */
final class AnswerTexts {
    private final JsonParser p;
    private final boolean chat;
    private final Predicate<String> flags;

    private AnswerTexts(JsonParser p, boolean chat, Predicate<String> flags) {
        this.p = p;
        this.chat = chat;
        this.flags = flags;
    }

    /**
     * Whether {@code flags} is true for any text of {@code json}, stopping at the first; false when
     * it is not a JSON object (such an answer is relayed as it is).
     */
    static boolean any(Buffer json, boolean chat, Predicate<String> flags) {
        BufferBytes bytes = BufferBytes.of(json);
        try (JsonParser p = Json.MAPPER.createParser(bytes.array(), bytes.offset(), bytes.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return false;
            AnswerTexts texts = new AnswerTexts(p, chat, flags);
            return texts.object(name -> name.equals("choices") ? texts.values(texts::choice) : texts.skip());
        } catch (IOException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Step {
        boolean read() throws IOException;
    }

    @FunctionalInterface
    private interface FieldStep {
        boolean read(String name) throws IOException;
    }

    private boolean choice() throws IOException {
        return chat ? object(name -> name.equals("message") ? holder() : skip()) : holder();
    }

    /** A chat message, or a completion's choice: its text and its tool calls. */
    private boolean holder() throws IOException {
        String textField = chat ? "content" : "text";
        return object(name -> name.equals(textField) ? text()
                : name.equals("tool_calls") ? values(this::toolCall) : skip());
    }

    private boolean toolCall() throws IOException {
        return object(name -> name.equals("function") ? object(n -> n.equals("arguments") ? text() : skip()) : skip());
    }

    private boolean text() throws IOException {
        return p.currentToken() == JsonToken.VALUE_STRING ? flags.test(p.getText()) : skip();
    }

    /** Each member of an object by name; anything else is skipped. */
    private boolean object(FieldStep member) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return skip();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (member.read(name)) return true;
        }
        return false;
    }

    /** Each element of an array, or each value of an object (a tree walk iterates both). */
    private boolean values(Step value) throws IOException {
        JsonToken start = p.currentToken();
        if (start != JsonToken.START_ARRAY && start != JsonToken.START_OBJECT) return skip();
        JsonToken end = start == JsonToken.START_ARRAY ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
        for (JsonToken t = p.nextToken(); t != end && t != null; t = p.nextToken()) {
            if (t == JsonToken.FIELD_NAME) p.nextToken();
            if (value.read()) return true;
        }
        return false;
    }

    private boolean skip() throws IOException {
        p.skipChildren();
        return false;
    }
}
