package dev.spillway.gateway.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.BufferBytes;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.redact.StreamingRedactor;
import dev.spillway.gateway.route.RelayStream;
import dev.spillway.gateway.route.SseFrames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs a guard's output checks on a streamed answer's deltas without buffering the answer.
 *
 * <p>Implementation notes: SSE frames are cut at their blank line and parsed one by one. Each
 * choice's delta text (and each tool call's arguments) goes through its own {@link StreamingRedactor}, which holds back the last
 * {@code hold-back} characters (longer while a match may still be growing), so a secret split
 * across any number of deltas is complete, and redacted, before any of it is released; the frame
 * carries the released text instead. The held rest goes out with the choice's finish frame. A
 * {@code block} finding ends every choice with {@code finish_reason: "content_filter"} as Azure
 * does; later frames are dropped except the usage chunk and {@code [DONE]}, so the stream is still
 * metered. The prompt's visible findings join the backend's {@code prompt_filter_results} frame,
 * or come first in a frame of their own. Non-data lines pass untouched. One per stream;
 * event-loop confined.
 */
final class GuardedStream extends RelayStream {

    private final Guard guard;
    private final List<Finding> input;
    private final String textField;
    private final Consumer<Finding> record;
    private final Map<Integer, StreamingRedactor> choices = new TreeMap<>();
    private final Map<Integer, Boolean> finished = new TreeMap<>();
    private final Map<Long, StreamingRedactor> arguments = new TreeMap<>();
    private final List<Finding> found = new ArrayList<>();
    /** The unfinished frame the last chunk ended with (a copy), or null. */
    private Buffer pending;
    private ObjectNode template;
    private boolean first = true;
    private boolean blocked;

    GuardedStream(ReadStream<Buffer> source, Guard guard, List<Finding> input, Operation op, Consumer<Finding> record) {
        super(source);
        this.guard = guard;
        this.input = input;
        this.textField = op == Operation.CHAT_COMPLETIONS ? "content" : "text";
        this.record = record;
    }

    @Override
    protected void onChunk(Buffer chunk) {
        // The chunk is read where it lies; only an unfinished trailing frame is copied and held.
        Buffer data = pending == null ? chunk : pending.appendBuffer(chunk);
        BufferBytes bytes = BufferBytes.of(data);
        byte[] a = bytes.array();
        int base = bytes.offset();
        int limit = base + bytes.length();
        Buffer out = Buffer.buffer(bytes.length() + 64);
        int start = base;
        for (int end = SseFrames.nextEnd(a, start, limit); end > 0; end = SseFrames.nextEnd(a, start, limit)) {
            out.appendString(frame(new String(a, start, end - start, StandardCharsets.UTF_8)));
            start = end;
        }
        if (start == limit) pending = null;
        else if (start > base || data == chunk) pending = data.getBuffer(start - base, limit - base);
        else pending = data;
        emit(out);
    }

    @Override
    protected void onEnd() {
        Buffer out = Buffer.buffer();
        if (pending != null) out.appendString(frame(pending.toString(StandardCharsets.UTF_8)));
        pending = null;
        if (!blocked) out.appendString(flushAll());
        emit(out);
        end();
    }

    private void emit(Buffer out) {
        if (out.length() > 0 && hasReader()) relay(out);
    }

    /** One SSE frame in, what the client gets for it out (maybe more frames, maybe nothing). */
    private String frame(String frame) {
        String payload = dataOf(frame);
        if (payload == null) return frame;
        if (payload.equals("[DONE]")) return (blocked ? "" : flushAll()) + frame;
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            return blocked ? "" : frame;
        }
        if (!(parsed instanceof ObjectNode chunk)) return frame;
        boolean usageOnly = chunk.path("choices").isEmpty();
        if (blocked) return usageOnly ? frame : "";
        boolean merge = first && chunk.has("prompt_filter_results") && input.stream().anyMatch(f -> f.action().visible());
        String prefix = first ? promptResults(chunk) : "";
        first = false;
        if (usageOnly) return prefix + (merge ? data(chunk) : frame);
        if (template == null) template = template(chunk);
        found.clear();
        for (JsonNode c : chunk.path("choices")) if (c instanceof ObjectNode choice) release(choice);
        if (found.stream().anyMatch(f -> f.action() == Action.BLOCK)) return prefix + block();
        return prefix + data(chunk);
    }

    private void release(ObjectNode choice) {
        int index = choice.path("index").asInt(0);
        ObjectNode holder = textField.equals("content") ? choice.withObjectProperty("delta") : choice;
        StreamingRedactor redactor = choices.computeIfAbsent(index, i -> guard.outputStream(this::found));
        int before = found.size();
        JsonNode text = holder.get(textField);
        String released = text != null && text.isTextual() ? redactor.feed(text.asText()) : "";
        if (!choice.path("finish_reason").isNull() && !choice.path("finish_reason").isMissingNode()) {
            released += redactor.finishText();
            finished.put(index, true);
        }
        if (text != null || !released.isEmpty()) holder.put(textField, released);
        if (holder.get("tool_calls") instanceof com.fasterxml.jackson.databind.node.ArrayNode calls) {
            releaseArguments(index, calls);
        }
        if (finished.containsKey(index)) {
            flushArguments(index).ifPresent(rest -> holder.withArrayProperty("tool_calls").addAll(rest));
        }
        List<Finding> mine = found.subList(before, found.size());
        if (!mine.isEmpty()) FilterResults.mergeInto(choice.withObjectProperty("content_filter_results"), mine);
    }

    /** Tool-call arguments are checked like text, one redactor per choice and tool-call index. */
    private void releaseArguments(int choice, com.fasterxml.jackson.databind.node.ArrayNode calls) {
        for (JsonNode c : calls) {
            JsonNode function = c.path("function");
            if (!(function instanceof ObjectNode f) || !f.path("arguments").isTextual()) continue;
            long key = (long) choice << 32 | c.path("index").asInt(0);
            StreamingRedactor redactor = arguments.computeIfAbsent(key, k -> guard.outputStream(this::found));
            f.put("arguments", redactor.feed(f.get("arguments").asText()));
        }
    }

    /** The arguments still held for {@code choice}'s tool calls, as tool-call deltas. */
    private java.util.Optional<com.fasterxml.jackson.databind.node.ArrayNode> flushArguments(int choice) {
        com.fasterxml.jackson.databind.node.ArrayNode rest = Json.MAPPER.createArrayNode();
        for (Map.Entry<Long, StreamingRedactor> e : arguments.entrySet()) {
            if ((int) (e.getKey() >> 32) != choice || e.getValue().holding() == 0) continue;
            rest.addObject().put("index", (int) (long) e.getKey()).putObject("function")
                    .put("arguments", e.getValue().finishText());
        }
        return rest.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rest);
    }

    private void found(Finding f) {
        found.add(f);
        record.accept(f);
    }

    /** The text every unfinished choice still holds, in frames of their own (before [DONE] or the end). */
    private String flushAll() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Integer, StreamingRedactor> e : choices.entrySet()) {
            if (finished.containsKey(e.getKey())) continue;
            found.clear();
            String rest = e.getValue().finishText();
            var calls = flushArguments(e.getKey());
            finished.put(e.getKey(), true);
            if (found.stream().anyMatch(f -> f.action() == Action.BLOCK)) return out + block();
            if (rest.isEmpty() && calls.isEmpty()) continue;
            ObjectNode chunk = template.deepCopy();
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", e.getKey());
            ObjectNode holder = textField.equals("content") ? choice.putObject("delta") : choice;
            holder.put(textField, rest);
            calls.ifPresent(c -> holder.set("tool_calls", c));
            choice.putNull("finish_reason");
            if (!found.isEmpty()) FilterResults.mergeInto(choice.putObject("content_filter_results"), found);
            out.append(data(chunk));
        }
        return out.toString();
    }

    /** Ends every choice as Azure ends a filtered completion. */
    private String block() {
        blocked = true;
        ObjectNode chunk = template.deepCopy();
        var list = chunk.putArray("choices");
        for (Integer index : choices.keySet()) {
            ObjectNode choice = list.addObject().put("index", index);
            if (textField.equals("content")) choice.putObject("delta");
            else choice.put("text", "");
            choice.put("finish_reason", "content_filter");
            FilterResults.mergeInto(choice.putObject("content_filter_results"), found);
        }
        return data(chunk);
    }

    /** The prompt's findings, merged into the backend's prompt-filter frame or in a frame before it. */
    private String promptResults(ObjectNode chunk) {
        if (input.stream().noneMatch(f -> f.action().visible())) return "";
        if (chunk.has("prompt_filter_results")) {
            FilterResults.mergePromptResults(chunk, input);
            return "";
        }
        // Azure's own prompt-filter frame shape (azure-api.md §1.6 step 1).
        ObjectNode own = Json.MAPPER.createObjectNode();
        own.putArray("choices");
        own.put("created", 0).put("id", "").put("model", "").put("object", "");
        FilterResults.mergePromptResults(own, input);
        return data(own);
    }

    private static ObjectNode template(ObjectNode chunk) {
        ObjectNode t = Json.MAPPER.createObjectNode();
        for (String f : List.of("id", "object", "created", "model", "system_fingerprint")) {
            if (chunk.has(f)) t.set(f, chunk.get(f));
        }
        return t;
    }

    private static String data(ObjectNode chunk) {
        try {
            return "data: " + Json.MAPPER.writeValueAsString(chunk) + "\n\n";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The payload of a frame's {@code data:} line, or null for comments and other fields. */
    private static String dataOf(String frame) {
        for (int line = 0, end; line < frame.length(); line = end + 1) {
            end = frame.indexOf('\n', line);
            if (end < 0) end = frame.length();
            if (frame.startsWith("data:", line)) return frame.substring(line + 5, end).trim();
        }
        return null;
    }
}
