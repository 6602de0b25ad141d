package dev.spillway.gateway.portal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.wire.Operation;
import dev.spillway.gateway.server.ServedRoutes;
import dev.spillway.gateway.server.ServedRoutes.ServedRoute;

/** The request body and the responses of one route in {@code /openapi.json}. Stateless. */
final class OpenApiBodies {
    private static final String[][] ERRORS = {{"400", "BadRequest"}, {"401", "Unauthorized"}, {"403", "Forbidden"},
            {"404", "NotFound"}, {"429", "TooManyRequests"}, {"503", "Unavailable"}, {"504", "Timeout"}};

    private OpenApiBodies() {
    }

    /** {@code modelInBody}: the OpenAI-style routes name the deployment in {@code model}, which is then required. */
    static void describe(ObjectNode op, ServedRoute r, boolean modelInBody) {
        ObjectNode responses = op.putObject("responses");
        switch (r.kind()) {
            case PROBE -> ok(responses, "The gateway's state", "Probe");
            case FILES, BATCHES -> lane(op, responses, r);
            case QUEUE -> queue(op, responses, r);
            case MODEL -> model(op, responses, r, modelInBody);
        }
        if (r.kind() == ServedRoutes.Kind.PROBE) {
            ObjectNode down = responses.putObject("503").put("description", "Not ready");
            down.putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", OpenApiDocument.REF + "schemas/Probe");
            return;
        }
        for (String[] e : ERRORS) responses.putObject(e[0]).put("$ref", OpenApiDocument.REF + "responses/" + e[1]);
    }

    private static void model(ObjectNode op, ObjectNode responses, ServedRoute r, boolean modelInBody) {
        Operation operation = r.operation().orElseThrow();
        if (operation == Operation.MODELS) {
            ok(responses, "The deployments your key may call", "List");
            return;
        }
        String schema = switch (operation) {
            case CHAT_COMPLETIONS -> "ChatCompletionRequest";
            case COMPLETIONS -> "CompletionRequest";
            case EMBEDDINGS -> "EmbeddingRequest";
            default -> "ResponseRequest";
        };
        ObjectNode body = op.putObject("requestBody").put("required", true).putObject("content")
                .putObject("application/json").putObject("schema");
        if (modelInBody) {
            body.putArray("allOf").addObject().put("$ref", OpenApiDocument.REF + "schemas/" + schema);
            body.withArray("allOf").addObject().putArray("required").add("model");
        } else {
            body.put("$ref", OpenApiDocument.REF + "schemas/" + schema);
        }
        ObjectNode ok = ok(responses, "The backend's answer", "ModelReply");
        ObjectNode headers = ok.putObject("headers");
        for (String h : new String[] {"x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
                "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens",
                "x-ratelimit-reset-tokens", "x-spillway-request-id"}) {
            headers.putObject(h).put("$ref", OpenApiDocument.REF + "headers/" + h);
        }
        if (operation != Operation.EMBEDDINGS) {
            ((ObjectNode) ok.get("content")).putObject("text/event-stream").putObject("schema").put("type", "string")
                    .put("description", "With stream: true: SSE frames, data: [DONE] last; a stream that breaks"
                            + " after its first byte ends with an error event instead");
        }
    }

    private static void lane(ObjectNode op, ObjectNode responses, ServedRoute r) {
        boolean files = r.kind() == ServedRoutes.Kind.FILES;
        if (r.method().equals("POST") && !r.path().endsWith("/cancel")) {
            ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
            if (files) content.putObject("multipart/form-data").putObject("schema").put("$ref", OpenApiDocument.REF + "schemas/FileUpload");
            else content.putObject("application/json").putObject("schema").put("$ref", OpenApiDocument.REF + "schemas/BatchRequest");
        }
        if (r.path().endsWith("/content")) {
            responses.putObject("200").put("description", "The file's bytes").putObject("content")
                    .putObject("application/octet-stream").putObject("schema").put("type", "string")
                    .put("contentMediaType", "application/octet-stream");
            return;
        }
        boolean one = r.path().endsWith("}") || r.method().equals("POST");
        ok(responses, one ? (files ? "The file" : "The batch") : "A page", one ? (files ? "File" : "Batch") : "List");
    }

    private static void queue(ObjectNode op, ObjectNode responses, ServedRoute r) {
        boolean publish = r.path().endsWith("/requests");
        if (r.method().equals("POST")) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .putObject("schema").put("$ref", OpenApiDocument.REF + "schemas/" + (publish ? "QueueRequest" : "QueueAck"));
        }
        if (publish) {
            responses.putObject("202").put("description", "Queued; the answer comes on the reply queue")
                    .putObject("content").putObject("application/json").putObject("schema")
                    .put("$ref", OpenApiDocument.REF + "schemas/QueuedRequest");
            return;
        }
        ok(responses, r.method().equals("POST") ? "How many answers were removed" : "A page of answers, oldest first",
                r.method().equals("POST") ? "QueueAcknowledged" : "List");
    }

    private static ObjectNode ok(ObjectNode responses, String description, String schema) {
        ObjectNode ok = responses.putObject("200").put("description", description);
        ok.putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", OpenApiDocument.REF + "schemas/" + schema);
        return ok;
    }
}
