package dev.spillway.gateway.portal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The request and reply schemas of {@code /openapi.json}, each with only the fields Spillway reads
 * or writes and open to the rest (which pass through untouched). Stateless.
 */
final class OpenApiSchemas {
    private OpenApiSchemas() {
    }

    static void requests(ObjectNode s) {
        ObjectNode chat = OpenApiComponents.object(s, "ChatCompletionRequest", "A chat completion request");
        chat.putArray("required").add("messages");
        ObjectNode cp = chat.putObject("properties");
        model(cp);
        ObjectNode messages = cp.putObject("messages").put("type", "array").put("minItems", 1);
        ObjectNode message = messages.putObject("items").put("type", "object");
        message.putArray("required").add("role");
        message.putObject("properties").putObject("role").put("type", "string");
        common(cp);
        cp.putObject("stream_options").put("type", "object").putObject("properties").putObject("include_usage")
                .put("type", "boolean");

        ObjectNode completion = OpenApiComponents.object(s, "CompletionRequest", "A (legacy) completion request");
        ObjectNode tp = completion.putObject("properties");
        model(tp);
        tp.putObject("prompt").putArray("type").add("string").add("array");
        common(tp);

        ObjectNode embeddings = OpenApiComponents.object(s, "EmbeddingRequest", "An embeddings request");
        embeddings.putArray("required").add("input");
        ObjectNode ep = embeddings.putObject("properties");
        model(ep);
        ep.putObject("input").putArray("type").add("string").add("array");

        ObjectNode responses = OpenApiComponents.object(s, "ResponseRequest", "A Responses API request");
        ObjectNode rp = responses.putObject("properties");
        model(rp);
        rp.putObject("input").putArray("type").add("string").add("array").add("null");
        rp.putObject("instructions").put("type", "string");
        rp.putObject("max_output_tokens").put("type", "integer").put("minimum", 1);
        rp.putObject("stream").put("type", "boolean");

        ObjectNode batch = OpenApiComponents.object(s, "BatchRequest", "A batch over an uploaded .jsonl file");
        batch.putArray("required").add("input_file_id").add("endpoint").add("completion_window");
        ObjectNode bp = batch.putObject("properties");
        bp.putObject("input_file_id").put("type", "string");
        bp.putObject("endpoint").put("type", "string").putArray("examples").add("/v1/chat/completions");
        bp.putObject("completion_window").put("type", "string").putArray("examples").add("24h");
        bp.putObject("metadata").put("type", "object");

        ObjectNode queued = OpenApiComponents.object(s, "QueueRequest", "A request for the message queue's lane");
        queued.putArray("required").add("deployment").add("body");
        ObjectNode qp = queued.putObject("properties");
        model(qp);
        qp.set("deployment", qp.remove("model"));
        qp.putObject("endpoint").put("type", "string").put("default", "/v1/chat/completions")
                .putArray("examples").add("/v1/chat/completions").add("/v1/completions").add("/v1/embeddings");
        qp.putObject("body").put("type", "object").put("description", "The JSON the request would POST (no stream)");
        qp.putObject("correlation_id").put("type", "string").put("maxLength", 256);
        qp.putObject("reply_to").put("type", "string").put("pattern", "^[A-Za-z0-9._:-]{1,128}$");
        ObjectNode ack = OpenApiComponents.object(s, "QueueAck", "The answers to remove from a reply queue");
        ack.putArray("required").add("ids");
        ack.putObject("properties").putObject("ids").put("type", "array").put("minItems", 1).put("maxItems", 100)
                .putObject("items").put("type", "string");

        ObjectNode upload = OpenApiComponents.object(s, "FileUpload", "A multipart file upload");
        upload.putArray("required").add("file").add("purpose");
        ObjectNode up = upload.putObject("properties");
        up.putObject("file").put("type", "string").put("contentMediaType", "application/octet-stream");
        up.putObject("purpose").put("type", "string").putArray("examples").add("batch");
    }

    static void replies(ObjectNode s) {
        ObjectNode usage = OpenApiComponents.object(s, "Usage", "Tokens used; Spillway meters and bills these");
        ObjectNode up = usage.putObject("properties");
        for (String f : new String[] {"prompt_tokens", "completion_tokens", "total_tokens", "input_tokens",
                "output_tokens"}) {
            up.putObject(f).put("type", "integer");
        }
        ObjectNode reply = OpenApiComponents.object(s, "ModelReply", "The backend's answer, passed through; "
                + "with stream: true, text/event-stream frames ending in data: [DONE] (or an error event)");
        ObjectNode rp = reply.putObject("properties");
        rp.putObject("id").put("type", "string");
        rp.putObject("object").put("type", "string");
        rp.putObject("usage").put("$ref", OpenApiDocument.REF + "schemas/Usage");
        ObjectNode list = OpenApiComponents.object(s, "List", "A page of objects");
        ObjectNode lp = list.putObject("properties");
        lp.putObject("object").put("const", "list");
        lp.putObject("data").put("type", "array").putObject("items").put("type", "object");
        lp.putObject("has_more").put("type", "boolean");
        ObjectNode file = OpenApiComponents.object(s, "File", "An uploaded file");
        file.putObject("properties").putObject("id").put("type", "string");
        ObjectNode batch = OpenApiComponents.object(s, "Batch", "A batch and its progress");
        ObjectNode bp = batch.putObject("properties");
        bp.putObject("id").put("type", "string");
        bp.putObject("status").put("type", "string");
        bp.putObject("request_counts").put("type", "object");
        ObjectNode queued = OpenApiComponents.object(s, "QueuedRequest", "A request waiting in the message queue");
        ObjectNode qp = queued.putObject("properties");
        qp.putObject("id").put("type", "string");
        qp.putObject("status").put("const", "queued");
        OpenApiComponents.object(s, "QueueAcknowledged", "Answers removed from a reply queue")
                .putObject("properties").putObject("acknowledged").put("type", "integer");
        ObjectNode probe = OpenApiComponents.object(s, "Probe", "A health probe's answer");
        probe.putObject("properties").putObject("status").put("type", "string");
    }

    private static void model(ObjectNode properties) {
        properties.putObject("model").put("$ref", OpenApiDocument.REF + "schemas/Deployment");
    }

    private static void common(ObjectNode p) {
        p.putObject("max_tokens").put("type", "integer").put("minimum", 1)
                .put("description", "Capped by the gateway's max-tokens-cap; a default is reserved when absent");
        p.putObject("stream").put("type", "boolean");
    }
}
