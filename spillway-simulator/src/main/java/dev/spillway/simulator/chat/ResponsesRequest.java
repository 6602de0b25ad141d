package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.SpillwayException.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Responses API request ({@code POST /openai/v1/responses}) read as the chat conversation the
 * answer planner works on: {@code instructions} become a system message, {@code input} (a string,
 * or message, {@code function_call} and {@code function_call_output} items) the messages, function
 * {@code tools} and {@code tool_choice} the same choices as in chat, {@code max_output_tokens} the
 * limit. The body is kept for the fields the response echoes. Immutable.
 */
record ResponsesRequest(ChatRequest chat, JsonNode body) {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    static ResponsesRequest parse(JsonNode body) {
        List<ChatRequest.Message> messages = new ArrayList<>();
        if (body.path("instructions").isTextual()) messages.add(message("system", body.path("instructions").asText()));
        JsonNode input = body.path("input");
        if (input.isTextual()) {
            messages.add(message("user", input.asText()));
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) item(input.get(i), "input[" + i + "]").ifPresent(messages::add);
        } else if (!input.isMissingNode() && !input.isNull()) {
            throw invalid("'input' must be a string or an array of input items.", "input");
        }
        if (messages.isEmpty()) {
            if (!body.path("previous_response_id").isTextual()) throw invalid("'input' is required.", "input");
            messages.add(message("user", "")); // the simulator keeps no responses: it answers the follow-up afresh
        }
        List<ChatRequest.Tool> tools = tools(body.path("tools"));
        return new ResponsesRequest(new ChatRequest(false, messages, maxOutputTokens(body), stream(body), false,
                tools, toolChoice(body.path("tool_choice"), tools)), body);
    }

    private static Optional<ChatRequest.Message> item(JsonNode item, String at) {
        String type = item.path("type").asText("message");
        return switch (type) {
            case "message" -> {
                String role = item.path("role").asText("");
                if (!ROLES.contains(role)) throw invalid("'" + at + ".role' must be one of " + ROLES + ".", at + ".role");
                yield Optional.of(message(role, text(item.path("content"), at)));
            }
            case "function_call" -> Optional.of(new ChatRequest.Message("assistant", "", Optional.empty(),
                    item.path("name").asText("") + item.path("arguments").asText("")));
            case "function_call_output" -> Optional.of(message("tool", item.path("output").asText("")));
            default -> Optional.empty(); // reasoning, item references, ...: nothing the simulator answers from
        };
    }

    private static String text(JsonNode content, String at) {
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) throw invalid("'" + at + ".content' must be a string or an array of parts.", at + ".content");
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) sb.append(sb.isEmpty() ? "" : "\n").append(part.path("text").asText());
        }
        return sb.toString();
    }

    private static ChatRequest.Message message(String role, String text) {
        return new ChatRequest.Message(role, text, Optional.empty(), "");
    }

    private static List<ChatRequest.Tool> tools(JsonNode tools) {
        if (tools.isMissingNode() || tools.isNull()) return List.of();
        if (!tools.isArray()) throw invalid("'tools' must be an array.", "tools");
        List<ChatRequest.Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            if (!t.path("type").asText().equals("function")) {
                throw invalid("'tools[" + i + "].type' must be function: the simulator calls no built-in tools.",
                        "tools[" + i + "].type");
            }
            if (!t.path("name").isTextual()) throw invalid("'tools[" + i + "].name' is required.", "tools[" + i + "].name");
            out.add(new ChatRequest.Tool(t.path("name").asText(), t.path("description").asText(""), t.path("parameters")));
        }
        return List.copyOf(out);
    }

    private static ChatRequest.ToolChoice toolChoice(JsonNode choice, List<ChatRequest.Tool> tools) {
        if (tools.isEmpty()) return ChatRequest.ToolChoice.NONE;
        if (choice.isMissingNode() || choice.isNull()) return ChatRequest.ToolChoice.AUTO;
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "none" -> ChatRequest.ToolChoice.NONE;
                case "auto", "required" -> ChatRequest.ToolChoice.AUTO;
                default -> throw invalid("'tool_choice' must be none, auto, required or a function.", "tool_choice");
            };
        }
        String name = choice.path("name").asText("");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw invalid("'tool_choice' names function '" + name + "', which is not in 'tools'.", "tool_choice");
        }
        return new ChatRequest.ToolChoice(true, Optional.of(name));
    }

    private static OptionalInt maxOutputTokens(JsonNode body) {
        JsonNode v = body.path("max_output_tokens");
        if (v.isMissingNode() || v.isNull()) return OptionalInt.empty();
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw invalid("'max_output_tokens' must be an integer >= 1.", "max_output_tokens");
        }
        return OptionalInt.of(v.asInt());
    }

    private static boolean stream(JsonNode body) {
        JsonNode v = body.path("stream");
        if (v.isMissingNode() || v.isNull()) return false;
        if (!v.isBoolean()) throw invalid("'stream' must be true or false.", "stream");
        return v.asBoolean();
    }

    private static InvalidRequest invalid(String message, String param) {
        return new InvalidRequest("invalid_request_error", message, param);
    }
}
