package dev.spillway.simulator.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes the Responses API's Response object and its stream events (OpenAI spec {@code Response},
 * {@code ResponseStreamEvent}; Azure serves the same shape on {@code /openai/v1/responses}): the
 * output is one {@code message} item with one {@code output_text} part, or one {@code function_call}
 * item; usage counts {@code input_tokens} and {@code output_tokens}. An answer cut at
 * {@code max_output_tokens} is {@code incomplete}. Fields the request set are echoed. Stateless.
 */
final class ResponsesWire {
    private ResponsesWire() {
    }

    /** Per-response values: ids, creation time, the model and the request the response echoes. */
    record Meta(String id, long created, String model, String itemSuffix, JsonNode request, int inputTokens) {
        String itemId(Answer answer) {
            return (answer instanceof Answer.ToolCall ? "fc_" : "msg_") + itemSuffix;
        }
    }

    /** The finished Response as one JSON body. */
    static Buffer whole(Meta meta, Answer answer) {
        String text = answer instanceof Answer.Text t ? t.whole() : "";
        return bytes(response(meta, answer, status(answer), output(item(meta, answer, text, true))));
    }

    /** {@code completed}, or {@code incomplete} when the answer stopped at max_output_tokens. */
    static String status(Answer answer) {
        return "length".equals(answer.finishReason()) ? "incomplete" : "completed";
    }

    /** The Response object; {@code usage} only once it is no longer in progress. */
    static ObjectNode response(Meta meta, Answer answer, String status, ArrayNode output) {
        JsonNode req = meta.request();
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("id", meta.id()).put("object", "response").put("created_at", meta.created()).put("status", status);
        r.putNull("error");
        if (status.equals("incomplete")) r.putObject("incomplete_details").put("reason", "max_output_tokens");
        else r.putNull("incomplete_details");
        r.set("instructions", echo(req, "instructions", null));
        r.set("max_output_tokens", echo(req, "max_output_tokens", null));
        r.put("model", meta.model());
        r.set("output", output);
        r.set("parallel_tool_calls", echo(req, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true)));
        r.set("previous_response_id", echo(req, "previous_response_id", null));
        r.putObject("reasoning").putNull("effort").putNull("summary");
        r.set("store", echo(req, "store", Json.MAPPER.getNodeFactory().booleanNode(true)));
        r.set("temperature", echo(req, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0)));
        r.set("text", echo(req, "text", Json.MAPPER.createObjectNode().set("format",
                Json.MAPPER.createObjectNode().put("type", "text"))));
        r.set("tool_choice", echo(req, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto")));
        r.set("tools", echo(req, "tools", Json.MAPPER.createArrayNode()));
        r.set("top_p", echo(req, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0)));
        r.set("truncation", echo(req, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled")));
        if (status.equals("in_progress")) r.putNull("usage");
        else usage(r.putObject("usage"), meta.inputTokens(), answer.completionTokens());
        r.set("user", echo(req, "user", null));
        r.set("metadata", echo(req, "metadata", Json.MAPPER.createObjectNode()));
        return r;
    }

    /** The output item: a message with its text, or a function call with its arguments. */
    static ObjectNode item(Meta meta, Answer answer, String text, boolean done) {
        ObjectNode item = Json.MAPPER.createObjectNode().put("id", meta.itemId(answer));
        String status = done ? status(answer) : "in_progress";
        if (answer instanceof Answer.ToolCall call) {
            return item.put("type", "function_call").put("status", status)
                    .put("arguments", done ? call.arguments() : "").put("call_id", call.id()).put("name", call.name());
        }
        item.put("type", "message").put("status", status).put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (done) content.add(textPart(text));
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ArrayNode output(ObjectNode... items) {
        ArrayNode output = Json.MAPPER.createArrayNode();
        for (ObjectNode item : items) output.add(item);
        return output;
    }

    /** One SSE event: {@code event: type} and {@code data:} with the type and sequence number first. */
    static Buffer event(String type, int sequence, Consumer<ObjectNode> fields) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence);
        fields.accept(data);
        return Buffer.buffer("event: " + type + "\ndata: ").appendBuffer(bytes(data)).appendString("\n\n");
    }

    private static void usage(ObjectNode u, int input, int output) {
        u.put("input_tokens", input);
        u.putObject("input_tokens_details").put("cached_tokens", 0);
        u.put("output_tokens", output);
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", input + output);
    }

    private static JsonNode echo(JsonNode request, String field, JsonNode otherwise) {
        JsonNode v = request.get(field);
        if (v != null && !v.isNull()) return v;
        return otherwise == null ? Json.MAPPER.getNodeFactory().nullNode() : otherwise;
    }

    private static Buffer bytes(JsonNode node) {
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
