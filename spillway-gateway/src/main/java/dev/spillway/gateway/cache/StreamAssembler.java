package dev.spillway.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.route.SseFrames;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Builds the {@code chat.completion} a streamed answer amounts to, from the SSE frames relayed to
 * the client: content and tool-call deltas appended in order, the finish reason and the usage.
 * Gives up (and keeps nothing more) past {@code maxBytes} of stream, on a second choice, on an
 * error event, on a filter result that says {@code filtered: true} or on a frame it cannot read;
 * {@link #completion} is empty unless the stream ended with {@code [DONE]}. One per stream;
 * event-loop confined.
 */
final class StreamAssembler {
    private final int maxBytes;
    private byte[] pending = new byte[0];
    private final ObjectNode completion = Json.MAPPER.createObjectNode();
    private final ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant");
    private final StringBuilder content = new StringBuilder();
    private final ArrayNode toolCalls = Json.MAPPER.createArrayNode();
    private final ObjectNode choice = Json.MAPPER.createObjectNode().put("index", 0);
    private int size;
    private boolean failed;
    private boolean done;

    StreamAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    void onChunk(Buffer chunk) {
        if (failed || done) return;
        size += chunk.length();
        if (size > maxBytes) {
            fail();
            return;
        }
        byte[] data = concat(pending, chunk.getBytes());
        int from = 0;
        for (int end = SseFrames.nextEnd(data, 0, data.length); end > 0;
                end = SseFrames.nextEnd(data, from, data.length)) {
            frame(new String(data, from, end - from, java.nio.charset.StandardCharsets.UTF_8));
            from = end;
        }
        pending = Arrays.copyOfRange(data, from, data.length);
    }

    /** The assembled completion, when the stream ended with {@code [DONE]} and nothing failed. */
    Optional<ObjectNode> completion() {
        if (failed || !done) return Optional.empty();
        message.put("content", content.isEmpty() && !toolCalls.isEmpty() ? null : content.toString());
        if (!toolCalls.isEmpty()) message.set("tool_calls", toolCalls);
        choice.set("message", message);
        completion.put("object", "chat.completion").putArray("choices").add(choice);
        return Optional.of(completion);
    }

    private void frame(String frame) {
        for (String line : frame.split("\r?\n")) {
            if (!line.startsWith("data:")) continue;
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) done = true;
            else data(data);
        }
    }

    private void data(String data) {
        try {
            JsonNode event = Json.MAPPER.readTree(data);
            if (event.has("error")) fail();
            else event(event);
        } catch (IOException e) {
            fail();
        }
    }

    private void event(JsonNode event) {
        for (String field : new String[] {"id", "created", "model", "system_fingerprint"}) {
            if (event.hasNonNull(field) && !completion.has(field)) completion.set(field, event.get(field));
        }
        if (Storable.filteredPrompt(event.path("prompt_filter_results"))) fail();
        if (event.path("usage").isObject()) completion.set("usage", event.get("usage"));
        for (JsonNode c : event.path("choices")) {
            if (c.path("index").asInt(0) != 0) fail();
            else delta(c);
        }
    }

    private void delta(JsonNode c) {
        JsonNode d = c.path("delta");
        if (d.path("content").isTextual()) content.append(d.path("content").asText());
        for (JsonNode call : d.path("tool_calls")) toolCall(call);
        if (c.hasNonNull("finish_reason")) choice.set("finish_reason", c.get("finish_reason"));
        if (Storable.filtered(c.path("content_filter_results"))) fail();
    }

    /** The first delta of a call names it; later ones (same {@code index}) add to its arguments. */
    private void toolCall(JsonNode delta) {
        int index = delta.path("index").asInt(0);
        while (toolCalls.size() <= index) {
            toolCalls.addObject().put("type", "function").putObject("function").put("name", "").put("arguments", "");
        }
        ObjectNode call = (ObjectNode) toolCalls.get(index);
        if (delta.hasNonNull("id")) call.set("id", delta.get("id"));
        if (delta.hasNonNull("type")) call.set("type", delta.get("type"));
        ObjectNode function = (ObjectNode) call.get("function");
        JsonNode f = delta.path("function");
        if (f.hasNonNull("name")) function.put("name", function.path("name").asText() + f.get("name").asText());
        if (f.hasNonNull("arguments")) {
            function.put("arguments", function.path("arguments").asText() + f.get("arguments").asText());
        }
    }

    private void fail() {
        failed = true;
        pending = new byte[0];
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) return b;
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
