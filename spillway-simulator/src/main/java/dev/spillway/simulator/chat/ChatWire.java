package dev.spillway.simulator.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes Azure's chat and completions bodies and SSE frames (azure-api.md 1.5 and 1.6): keys in
 * Azure's order, content-filter results on the prompt and on each choice, usage with its details.
 * Stateless and thread-safe.
 */
final class ChatWire {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String SAFE = "{\"filtered\":false,\"severity\":\"safe\"}";
    private static final String UNDETECTED = "{\"filtered\":false,\"detected\":false}";
    static final String PROMPT_FILTER_RESULTS = "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":" + SAFE
            + ",\"jailbreak\":" + UNDETECTED + ",\"self_harm\":" + SAFE + ",\"sexual\":" + SAFE
            + ",\"violence\":" + SAFE + "}}]";
    private static final String COMPLETION_FILTER_RESULTS = "{\"hate\":" + SAFE + ",\"protected_material_code\":"
            + UNDETECTED + ",\"protected_material_text\":" + UNDETECTED + ",\"self_harm\":" + SAFE
            + ",\"sexual\":" + SAFE + ",\"violence\":" + SAFE + "}";
    private static final Buffer PROMPT_FILTER_FRAME = Buffer.buffer("data: {\"choices\":[],\"created\":0,\"id\":\"\","
            + "\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":" + PROMPT_FILTER_RESULTS + "}\n\n");
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private ChatWire() {
    }

    /** Per-response values shared by the body or by every frame of a stream. */
    record Meta(String id, long created, String model, String fingerprint, boolean legacy, boolean includeUsage) {
        String object(boolean chunk) {
            if (legacy) return "text_completion";
            return chunk ? "chat.completion.chunk" : "chat.completion";
        }
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static Buffer body(Meta meta, Answer answer, int promptTokens) {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeFieldName("content_filter_results");
            g.writeRawValue(COMPLETION_FILTER_RESULTS);
            g.writeStringField("finish_reason", answer.finishReason());
            g.writeNumberField("index", 0);
            g.writeNullField("logprobs");
            if (meta.legacy()) {
                g.writeStringField("text", ((Answer.Text) answer).whole());
            } else {
                message(g, answer);
            }
            g.writeEndObject();
            g.writeEndArray();
            header(g, meta, false);
            g.writeFieldName("prompt_filter_results");
            g.writeRawValue(PROMPT_FILTER_RESULTS);
            g.writeStringField("system_fingerprint", meta.fingerprint());
            usage(g, promptTokens, answer.completionTokens());
            g.writeEndObject();
        });
    }

    /** Copies of shared constants, since a written buffer is handed to the socket. */
    static Buffer promptFilterFrame() {
        return PROMPT_FILTER_FRAME.copy();
    }

    static Buffer doneFrame() {
        return DONE.copy();
    }

    /** The role frame of a chat stream (with the call header when the answer is a tool call). */
    static Buffer roleFrame(Meta meta, Answer answer) {
        return frame(meta, "{}", g -> {
            g.writeStartObject();
            if (answer instanceof Answer.ToolCall call) {
                g.writeNullField("content");
                g.writeStringField("role", "assistant");
                g.writeArrayFieldStart("tool_calls");
                g.writeStartObject();
                g.writeObjectFieldStart("function");
                g.writeStringField("arguments", "");
                g.writeStringField("name", call.name());
                g.writeEndObject();
                g.writeStringField("id", call.id());
                g.writeNumberField("index", 0);
                g.writeStringField("type", "function");
                g.writeEndObject();
                g.writeEndArray();
            } else {
                g.writeStringField("content", "");
                g.writeNullField("refusal");
                g.writeStringField("role", "assistant");
            }
            g.writeEndObject();
        }, null);
    }

    static Buffer contentFrame(Meta meta, String piece) {
        if (meta.legacy()) return frame(meta, COMPLETION_FILTER_RESULTS, g -> g.writeString(piece), null);
        return frame(meta, COMPLETION_FILTER_RESULTS, g -> {
            g.writeStartObject();
            g.writeStringField("content", piece);
            g.writeEndObject();
        }, null);
    }

    static Buffer argumentsFrame(Meta meta, String fragment) {
        return frame(meta, COMPLETION_FILTER_RESULTS, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeObjectFieldStart("function");
            g.writeStringField("arguments", fragment);
            g.writeEndObject();
            g.writeNumberField("index", 0);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }, null);
    }

    static Buffer finishFrame(Meta meta, String finishReason) {
        if (meta.legacy()) return frame(meta, COMPLETION_FILTER_RESULTS, g -> g.writeString(""), finishReason);
        return frame(meta, COMPLETION_FILTER_RESULTS, g -> {
            g.writeStartObject();
            g.writeEndObject();
        }, finishReason);
    }

    static Buffer usageFrame(Meta meta, int promptTokens, int completionTokens) {
        return sse(json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            header(g, meta, true);
            g.writeStringField("system_fingerprint", meta.fingerprint());
            usage(g, promptTokens, completionTokens);
            g.writeEndObject();
        }));
    }

    private static Buffer frame(Meta meta, String filterResults, Body delta, String finishReason) {
        return sse(json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeFieldName("content_filter_results");
            g.writeRawValue(filterResults);
            g.writeFieldName(meta.legacy() ? "text" : "delta");
            delta.write(g);
            g.writeStringField("finish_reason", finishReason);
            g.writeNumberField("index", 0);
            g.writeNullField("logprobs");
            g.writeEndObject();
            g.writeEndArray();
            header(g, meta, true);
            g.writeStringField("system_fingerprint", meta.fingerprint());
            if (meta.includeUsage()) g.writeNullField("usage");
            g.writeEndObject();
        }));
    }

    private static void message(JsonGenerator g, Answer answer) throws IOException {
        g.writeObjectFieldStart("message");
        if (answer instanceof Answer.ToolCall call) {
            g.writeNullField("content");
            g.writeNullField("refusal");
            g.writeStringField("role", "assistant");
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeObjectFieldStart("function");
            g.writeStringField("arguments", call.arguments());
            g.writeStringField("name", call.name());
            g.writeEndObject();
            g.writeStringField("id", call.id());
            g.writeStringField("type", "function");
            g.writeEndObject();
            g.writeEndArray();
        } else {
            g.writeStringField("content", ((Answer.Text) answer).whole());
            g.writeNullField("refusal");
            g.writeStringField("role", "assistant");
        }
        g.writeEndObject();
    }

    private static void header(JsonGenerator g, Meta meta, boolean chunk) throws IOException {
        g.writeNumberField("created", meta.created());
        g.writeStringField("id", meta.id());
        g.writeStringField("model", meta.model());
        g.writeStringField("object", meta.object(chunk));
    }

    private static void usage(JsonGenerator g, int prompt, int completion) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("completion_tokens", completion);
        g.writeObjectFieldStart("completion_tokens_details");
        g.writeNumberField("accepted_prediction_tokens", 0);
        g.writeNumberField("audio_tokens", 0);
        g.writeNumberField("reasoning_tokens", 0);
        g.writeNumberField("rejected_prediction_tokens", 0);
        g.writeEndObject();
        g.writeNumberField("prompt_tokens", prompt);
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("audio_tokens", 0);
        g.writeNumberField("cached_tokens", 0);
        g.writeEndObject();
        g.writeNumberField("total_tokens", prompt + completion);
        g.writeEndObject();
    }

    private static Buffer sse(Buffer json) {
        return Buffer.buffer(json.length() + 8).appendString("data: ").appendBuffer(json).appendString("\n\n");
    }

    private static Buffer json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
