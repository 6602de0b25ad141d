package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Json;
import dev.spillway.core.wire.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The JSONL of a batch: input lines ({@code custom_id}, {@code method}, {@code url}, {@code body})
 * checked one by one into queue entries, and output and error lines in OpenAI's shape
 * ({@code id}, {@code custom_id}, {@code response: {status_code, request_id, body}}, {@code error}).
 * A bad line becomes an error line and the others still run. Stateless.
 */
public final class BatchLines {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private BatchLines() {
    }

    /** The operation a batch endpoint runs ({@code /v1/chat/completions} or Azure's {@code /chat/completions}). */
    public static Optional<Operation> operation(String endpoint) {
        String path = endpoint.startsWith("/v1/") ? endpoint.substring(4) : endpoint.startsWith("/") ? endpoint.substring(1) : "";
        Operation op = Operation.ofPath(path);
        return op == null || op == Operation.MODELS ? Optional.empty() : Optional.of(op);
    }

    /** How many requests a file holds: its non-blank lines. */
    public static int count(byte[] content) {
        int lines = 0;
        boolean blank = true;
        for (byte b : content) {
            if (b == '\n') {
                if (!blank) lines++;
                blank = true;
            } else if (b != '\r' && b != ' ' && b != '\t') {
                blank = false;
            }
        }
        return blank ? lines : lines + 1;
    }

    /** The batch's queue entries, one per non-blank line; {@code deployments} says which models exist. */
    public static List<QueuedLine> parse(BatchRecord batch, byte[] content, Predicate<String> deployments, Instant now) {
        String[] raw = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        List<QueuedLine> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < raw.length; i++) {
            String text = raw[i].strip();
            if (text.isEmpty()) continue;
            out.add(entry(batch, i + 1, text, seen, deployments, now));
        }
        return out;
    }

    private static QueuedLine entry(BatchRecord b, int lineNo, String text, Set<String> seen,
            Predicate<String> deployments, Instant now) {
        JsonNode line = readObject(text);
        String customId = line == null ? "" : line.path("custom_id").asText("");
        JsonNode body = line == null ? null : line.get("body");
        String model = body == null ? "" : body.path("model").asText("");
        Optional<String> problem = problem(b, line, customId, seen, body, model, deployments);
        if (!customId.isEmpty()) seen.add(customId);
        String failed = problem.map(p -> failure(b.id(), lineNo, customId, p.substring(0, p.indexOf(' ')),
                p.substring(p.indexOf(' ') + 1))).orElse(null);
        return new QueuedLine(b.id(), lineNo, b.owner().app(), model, customId,
                problem.isPresent() || body == null ? "" : body.toString(), now, b.expiresAt(), Optional.ofNullable(failed));
    }

    /** The first thing wrong with a line, as "code message", or empty when it may run. */
    private static Optional<String> problem(BatchRecord b, JsonNode line, String customId, Set<String> seen,
            JsonNode body, String model, Predicate<String> deployments) {
        if (line == null) return Optional.of("invalid_json_line This line is not a JSON object.");
        if (customId.isEmpty()) return Optional.of("missing_custom_id 'custom_id' is required and must be a string.");
        if (seen.contains(customId)) return Optional.of("duplicate_custom_id The custom_id '" + customId
                + "' appears on an earlier line; each must be unique in the file.");
        if (!"POST".equals(line.path("method").asText())) return Optional.of("invalid_method 'method' must be POST.");
        String url = line.path("url").asText("");
        if (!operation(url).equals(operation(b.endpoint()))) return Optional.of("invalid_url The line's url '" + url
                + "' differs from the batch's endpoint '" + b.endpoint() + "'.");
        if (body == null || !body.isObject()) return Optional.of("invalid_body 'body' is required and must be an object.");
        if (!deployments.test(model)) return Optional.of("model_not_found The model '" + model
                + "' does not exist on this gateway.");
        if (body.path("stream").asBoolean(false)) return Optional.of("invalid_stream A batch request cannot stream.");
        return Optional.empty();
    }

    private static JsonNode readObject(String text) {
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The id OpenAI gives each request of a batch. */
    static String requestId(String batchId, int lineNo) {
        return "batch_req_" + batchId.substring(batchId.indexOf('_') + 1) + "_" + lineNo;
    }

    /** An output line for a request that got an answer (any status): its response and no error. */
    public static String answer(String batchId, int lineNo, String customId, int status, String requestId, JsonNode body) {
        ObjectNode o = F.objectNode().put("id", requestId(batchId, lineNo)).put("custom_id", customId);
        ObjectNode response = o.putObject("response").put("status_code", status).put("request_id", requestId);
        response.set("body", body);
        o.putNull("error");
        return o.toString();
    }

    /** An error line for a request that could not be run: no response, and why. */
    public static String failure(String batchId, int lineNo, String customId, String code, String message) {
        ObjectNode o = F.objectNode().put("id", requestId(batchId, lineNo));
        if (customId.isEmpty()) o.putNull("custom_id");
        else o.put("custom_id", customId);
        o.putNull("response");
        o.putObject("error").put("code", code).put("message", message);
        return o.toString();
    }

    /** The output file (answered with 2xx) or error file (everything else) of a batch's ended lines. */
    public static byte[] file(String batchId, List<EndedLine> ended, boolean errors) {
        StringBuilder out = new StringBuilder();
        for (EndedLine l : ended) {
            if ((l.state() == LineState.SUCCEEDED) == errors) continue;
            out.append(l.output().orElseGet(() -> unrun(batchId, l))).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String unrun(String batchId, EndedLine l) {
        return l.state() == LineState.EXPIRED
                ? failure(batchId, l.lineNo(), l.customId(), "batch_expired",
                        "This request could not be executed before the completion window expired.")
                : failure(batchId, l.lineNo(), l.customId(), "batch_cancelled",
                        "This request was not executed because the batch was cancelled.");
    }
}
