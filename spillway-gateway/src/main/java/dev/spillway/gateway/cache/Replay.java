package dev.spillway.gateway.cache;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * A cached {@code chat.completion} as the client asked for it: the JSON object again, or the
 * stream it would have been (Azure's frame order: a role chunk, content chunks, one chunk per
 * tool call with its name and then its arguments, the finish chunk, the usage chunk when
 * {@code stream_options.include_usage} asked for it, {@code [DONE]}). Either way with a fresh
 * {@code id} and {@code created}, so a client that stores answers by id never sees two alike.
 * Stateless.
 */
final class Replay {
    /** Characters per content chunk: small enough that a client renders it as a stream. */
    static final int CHUNK_CHARS = 64;

    private Replay() {
    }

    /** How {@link #stored} begins a completion: an id and a time for a hit to replace. */
    private static final byte[] HEAD = "{\"id\":\"\",\"created\":0".getBytes(StandardCharsets.US_ASCII);

    /**
     * A completion as the cache keeps it: {@code id} and {@code created} first, with empty values,
     * then every other field as the backend sent it, so a plain hit splices the new values in
     * front of the stored bytes instead of reading them ({@link #json}).
     */
    static byte[] stored(ObjectNode completion) {
        ObjectNode ordered = Json.MAPPER.createObjectNode().put("id", "").put("created", 0);
        completion.properties().forEach(e -> {
            if (!e.getKey().equals("id") && !e.getKey().equals("created")) ordered.set(e.getKey(), e.getValue());
        });
        try {
            return Json.MAPPER.writeValueAsBytes(ordered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The stored completion with a fresh id and time, every other field as it was, numbers in
     * their exact text. One kept by {@link #stored} is copied as bytes behind the new id and time
     * (the plain hit is the cache's hot path); any other (kept before that layout, in Redis) is
     * copied token by token.
     */
    static Buffer json(byte[] completion, String id, long created) {
        if (!startsWith(completion, HEAD) || !plain(id)) return tokens(completion, id, created);
        return Buffer.buffer(completion.length + id.length() + 24).appendString("{\"id\":\"").appendString(id)
                .appendString("\",\"created\":").appendString(Long.toString(created))
                .appendBytes(completion, HEAD.length, completion.length - HEAD.length);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length > prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Whether {@code id} is JSON string content as it is (the gateway's ids always are). */
    private static boolean plain(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /** The token-by-token copy: id and created replaced in place, every other token as it was. */
    private static Buffer tokens(byte[] completion, String id, long created) {
        Buffer out = Buffer.buffer(completion.length + 64);
        try (JsonParser in = Json.MAPPER.createParser(completion);
                JsonGenerator g = Json.MAPPER.createGenerator(new Appender(out))) {
            if (in.nextToken() != JsonToken.START_OBJECT) throw new IOException("a cached completion is not an object");
            g.writeStartObject();
            boolean idWritten = false;
            boolean createdWritten = false;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                in.nextToken();
                switch (name) {
                    case "id" -> {
                        in.skipChildren();
                        g.writeStringField("id", id);
                        idWritten = true;
                    }
                    case "created" -> {
                        in.skipChildren();
                        g.writeNumberField("created", created);
                        createdWritten = true;
                    }
                    default -> {
                        g.writeFieldName(name);
                        copyValue(in, g);
                    }
                }
            }
            if (!idWritten) g.writeStringField("id", id);
            if (!createdWritten) g.writeNumberField("created", created);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Writes straight into the reply's buffer: the generator flushes its (recycled) buffer here
     * once, where a byte-array builder and its copy into a buffer cost two more copies per hit.
     */
    private static final class Appender extends OutputStream {
        private final Buffer out;

        Appender(Buffer out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.appendByte((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            out.appendBytes(b, off, len);
        }
    }

    /** Copies the value at the parser's token, numbers in their exact text. */
    private static void copyValue(JsonParser in, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = in.currentToken();
            if (t.isStructStart()) depth++;
            else if (t.isStructEnd()) depth--;
            g.copyCurrentEventExact(in);
        } while (depth > 0 && in.nextToken() != null);
    }

    static List<Buffer> sse(ObjectNode completion, String id, long created, boolean includeUsage) {
        List<Buffer> frames = new ArrayList<>();
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        Frames f = new Frames(completion, id, created, frames);
        f.delta(d -> d.put("role", "assistant").put("content", ""));
        String content = message.path("content").asText("");
        for (int at = 0; at < content.length(); ) {
            int end = Math.min(content.length(), at + CHUNK_CHARS);
            if (end < content.length() && Character.isHighSurrogate(content.charAt(end - 1))) end--;
            String piece = content.substring(at, end);
            f.delta(d -> d.put("content", piece));
            at = end;
        }
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            int index = i;
            f.delta(d -> {
                ObjectNode named = d.putArray("tool_calls").addObject().put("index", index);
                named.set("id", call.path("id"));
                named.put("type", call.path("type").asText("function"));
                named.putObject("function").put("name", call.path("function").path("name").asText()).put("arguments", "");
            });
            f.delta(d -> d.putArray("tool_calls").addObject().put("index", index).putObject("function")
                    .put("arguments", call.path("function").path("arguments").asText()));
        }
        ObjectNode last = chunk(completion, id, created);
        last.withArray("choices").addObject().put("index", 0).putObject("delta");
        ((ObjectNode) last.path("choices").get(0)).set("finish_reason", choice.path("finish_reason"));
        frames.add(frame(last));
        if (includeUsage && completion.has("usage")) {
            ObjectNode usage = chunk(completion, id, created);
            usage.putArray("choices");
            usage.set("usage", completion.get("usage"));
            frames.add(frame(usage));
        }
        frames.add(Buffer.buffer("data: [DONE]\n\n"));
        return frames;
    }

    /** Adds chunks with one choice whose delta the caller fills in. */
    private record Frames(ObjectNode completion, String id, long created, List<Buffer> out) {
        void delta(java.util.function.Consumer<ObjectNode> fill) {
            ObjectNode chunk = chunk(completion, id, created);
            ObjectNode choice = chunk.withArray("choices").addObject().put("index", 0);
            fill.accept(choice.putObject("delta"));
            choice.putNull("finish_reason");
            out.add(frame(chunk));
        }
    }

    private static ObjectNode chunk(ObjectNode completion, String id, long created) {
        ObjectNode chunk = Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created);
        chunk.set("model", completion.path("model"));
        if (completion.has("system_fingerprint")) chunk.set("system_fingerprint", completion.get("system_fingerprint"));
        return chunk;
    }

    private static Buffer frame(ObjectNode chunk) {
        return Buffer.buffer("data: ").appendBuffer(bytes(chunk)).appendString("\n\n");
    }

    private static Buffer bytes(JsonNode node) {
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
