package dev.spillway.simulator.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.SpillwayException.InvalidRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The fields of a chat or legacy completions request the simulator reads; everything else is
 * accepted and ignored, as Azure does. A legacy {@code prompt} becomes one user message. Immutable.
 */
public record ChatRequest(
        boolean legacyCompletion,
        List<Message> messages,
        OptionalInt maxTokens,
        boolean stream,
        boolean includeUsage,
        List<Tool> tools,
        ToolChoice toolChoice) {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** One message: role, its text (text parts joined), optional name, and any tool-call text it carries. */
    public record Message(String role, String text, Optional<String> name, String toolCallText) {
    }

    /** A function tool the model may call. */
    public record Tool(String name, String description, JsonNode parameters) {
    }

    /** What {@code tool_choice} allows: no tools, the model's choice, a required call, or one named function. */
    public record ToolChoice(boolean allowed, Optional<String> function) {
        static final ToolChoice AUTO = new ToolChoice(true, Optional.empty());
        static final ToolChoice NONE = new ToolChoice(false, Optional.empty());
    }

    /** Parses a {@code chat/completions} body; throws InvalidRequest naming the bad field. */
    public static ChatRequest chat(JsonNode body) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequest("invalid_request_error", "'messages' must be a non-empty array.", "messages");
        }
        requireSingleChoice(body);
        List<Message> list = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) list.add(message(messages.get(i), "messages[" + i + "]"));
        List<Tool> tools = tools(body.path("tools"));
        return new ChatRequest(false, list, maxTokens(body), stream(body), includeUsage(body), tools,
                toolChoice(body.path("tool_choice"), tools));
    }

    /** Parses a legacy {@code completions} body ({@code prompt} a string or a one-string array). */
    public static ChatRequest completion(JsonNode body) {
        JsonNode prompt = body.path("prompt");
        if (prompt.isArray() && prompt.size() == 1) prompt = prompt.get(0);
        if (!prompt.isTextual()) {
            throw new InvalidRequest("invalid_request_error",
                    "'prompt' must be a string (the simulator answers one prompt per request).", "prompt");
        }
        requireSingleChoice(body);
        Message m = new Message("user", prompt.asText(), Optional.empty(), "");
        return new ChatRequest(true, List.of(m), maxTokens(body), stream(body), includeUsage(body), List.of(),
                ToolChoice.NONE);
    }

    private static void requireSingleChoice(JsonNode body) {
        JsonNode n = body.path("n");
        if (!n.isMissingNode() && !n.isNull() && !(n.isIntegralNumber() && n.asInt() == 1)) {
            throw new InvalidRequest("invalid_request_error", "'n' must be 1: the simulator answers with one choice.", "n");
        }
    }

    private static Message message(JsonNode m, String at) {
        JsonNode role = m.path("role");
        if (!role.isTextual() || !ROLES.contains(role.asText())) {
            throw new InvalidRequest("invalid_request_error", "'" + at + ".role' must be one of " + ROLES + ".",
                    at + ".role");
        }
        Optional<String> name = m.path("name").isTextual() ? Optional.of(m.path("name").asText()) : Optional.empty();
        StringBuilder calls = new StringBuilder();
        for (JsonNode call : m.path("tool_calls")) {
            calls.append(call.path("function").path("name").asText()).append(call.path("function").path("arguments").asText());
        }
        return new Message(role.asText(), text(m.path("content"), at), name, calls.toString());
    }

    private static String text(JsonNode content, String at) {
        if (content.isMissingNode() || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) {
            throw new InvalidRequest("invalid_request_error", "'" + at + ".content' must be a string or an array of parts.",
                    at + ".content");
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("type").asText().equals("text")) sb.append(sb.isEmpty() ? "" : "\n").append(part.path("text").asText());
        }
        return sb.toString();
    }

    private static OptionalInt maxTokens(JsonNode body) {
        String field = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) return OptionalInt.empty();
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw new InvalidRequest("invalid_request_error", "'" + field + "' must be an integer >= 1.", field);
        }
        return OptionalInt.of(v.asInt());
    }

    private static boolean stream(JsonNode body) {
        JsonNode v = body.path("stream");
        if (v.isMissingNode() || v.isNull()) return false;
        if (!v.isBoolean()) throw new InvalidRequest("invalid_request_error", "'stream' must be true or false.", "stream");
        return v.asBoolean();
    }

    private static boolean includeUsage(JsonNode body) {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    private static List<Tool> tools(JsonNode tools) {
        if (tools.isMissingNode() || tools.isNull()) return List.of();
        if (!tools.isArray()) throw new InvalidRequest("invalid_request_error", "'tools' must be an array.", "tools");
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode f = tools.get(i).path("function");
            if (!f.path("name").isTextual()) {
                throw new InvalidRequest("invalid_request_error", "'tools[" + i + "].function.name' is required.",
                        "tools[" + i + "].function.name");
            }
            out.add(new Tool(f.path("name").asText(), f.path("description").asText(""), f.path("parameters")));
        }
        return List.copyOf(out);
    }

    private static ToolChoice toolChoice(JsonNode choice, List<Tool> tools) {
        if (tools.isEmpty()) return ToolChoice.NONE;
        if (choice.isMissingNode() || choice.isNull()) return ToolChoice.AUTO;
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "none" -> ToolChoice.NONE;
                case "auto", "required" -> ToolChoice.AUTO;
                default -> throw new InvalidRequest("invalid_request_error",
                        "'tool_choice' must be none, auto, required or a function.", "tool_choice");
            };
        }
        String name = choice.path("function").path("name").asText("");
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new InvalidRequest("invalid_request_error",
                    "'tool_choice' names function '" + name + "', which is not in 'tools'.", "tool_choice");
        }
        return new ToolChoice(true, Optional.of(name));
    }

    /** The text of the last user message, or empty. */
    public String lastUserText() {
        for (Message m : messages.reversed()) if (m.role().equals("user")) return m.text();
        return "";
    }

    /** Whether the conversation ends with a tool result (the model then answers in text). */
    public boolean endsWithToolResult() {
        String role = messages.getLast().role();
        return role.equals("tool") || role.equals("function");
    }

    /**
     * A hash of {@code seed} and everything that shapes the answer (messages, tools), so the same
     * conversation gets the same answer whether streamed or not. String hashes are specified by the
     * JDK, so the value is the same on every run.
     */
    public long contentSeed(long seed) {
        long h = seed;
        for (Message m : messages) {
            h = mix(mix(mix(h, m.role()), m.text()), m.toolCallText());
        }
        for (Tool t : tools) h = mix(h, t.name());
        return h;
    }

    private static long mix(long h, String s) {
        return (h ^ s.hashCode() ^ ((long) s.length() << 32)) * 0x9E3779B97F4A7C15L;
    }

    /** Characters of prompt text, for the admission estimate. */
    public long promptCharacters() {
        long n = 0;
        for (Message m : messages) n += m.text().length() + m.toolCallText().length();
        return n;
    }
}
