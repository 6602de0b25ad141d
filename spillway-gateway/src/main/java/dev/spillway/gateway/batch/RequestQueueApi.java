package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.Authenticator;
import dev.spillway.gateway.pipeline.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP way into the embedded message queue, for apps without AMQP: {@code POST /v1/queue/requests}
 * publishes a request (deployment, endpoint, body, correlation id, reply queue);
 * {@code GET /v1/queue/replies/{reply-to}} reads the answers waiting on one of the caller's reply
 * queues, and {@code POST /v1/queue/replies/{reply-to}/ack} removes those it has read. Also under
 * {@code /openai/v1/}. The caller is authenticated from its headers as for model calls; a reply
 * queue belongs to the caller's app. Database work runs on worker threads. Thread-safe; one per gateway.
 */
public final class RequestQueueApi {
    private static final Pattern PATH = Pattern.compile("^(?:/v1|/openai/v1)/queue/(?:(requests)|replies/([^/]+)(/ack)?)/?$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_CORRELATION_ID = 256;
    private static final int MAX_ACK = 100;
    private final Vertx vertx;
    private final RequestMailbox mailbox;
    private final Supplier<Authenticator> authenticator;
    private final Set<String> deployments;
    private final long maxBody;

    RequestQueueApi(Vertx vertx, RequestMailbox mailbox, Supplier<Authenticator> authenticator, Set<String> deployments,
            long maxBody) {
        this.vertx = vertx;
        this.mailbox = mailbox;
        this.authenticator = authenticator;
        this.deployments = Set.copyOf(deployments);
        this.maxBody = maxBody;
    }

    /**
     * Whether {@code path} is one of the queue's HTTP routes. Every request's path is asked, so the
     * prefixes the pattern requires are checked before it runs.
     */
    public static boolean owns(String path) {
        return (path.startsWith("/v1/queue/") || path.startsWith("/openai/v1/queue/")) && PATH.matcher(path).matches();
    }

    void handle(HttpServerRequest req) {
        req.pause();
        Matcher m = PATH.matcher(req.path());
        if (!m.matches()) throw new IllegalStateException("not a queue path: " + req.path());
        authenticator.get().authenticate(req.headers()).compose(caller -> route(req, caller, m))
                .onComplete(ar -> {
                    if (ar.failed()) BatchApi.fail(req, ar.cause());
                });
    }

    private Future<Void> route(HttpServerRequest req, Caller caller, Matcher m) {
        if (m.group(1) != null) {
            require(req, HttpMethod.POST);
            return body(req).compose(body -> reply(req, 202, () -> publish(caller, body)));
        }
        String replyTo = replyQueue(m.group(2));
        if (m.group(3) != null) {
            require(req, HttpMethod.POST);
            return body(req).compose(body -> reply(req, 200, () -> acknowledge(caller, replyTo, body)));
        }
        require(req, HttpMethod.GET);
        int limit = limit(req);
        return reply(req, 200, () -> replies(caller, replyTo, limit));
    }

    private ObjectNode publish(Caller caller, JsonNode in) throws Exception {
        String deployment = text(in, "deployment", true).orElseThrow();
        if (!deployments.contains(deployment)) {
            throw SpillwayException.NotFound.deployment(deployment, deployments.stream().sorted().toList());
        }
        String endpoint = text(in, "endpoint", false).orElse("/v1/chat/completions");
        if (BatchLines.operation(endpoint).isEmpty()) throw invalid("invalid_endpoint", "'endpoint' must be "
                + "/v1/chat/completions, /v1/completions or /v1/embeddings, was '" + endpoint + "'.", "endpoint");
        JsonNode body = in.get("body");
        if (!(body instanceof ObjectNode)) throw invalid("missing_required_parameter",
                "'body' is required and must be the JSON object the request would POST.", "body");
        if (body.path("stream").asBoolean(false)) throw invalid("invalid_value",
                "Queued requests cannot stream: their answer arrives whole on the reply queue.", "body.stream");
        Optional<String> correlationId = text(in, "correlation_id", false);
        if (correlationId.filter(c -> c.length() > MAX_CORRELATION_ID).isPresent()) throw invalid("invalid_value",
                "'correlation_id' must be at most " + MAX_CORRELATION_ID + " characters.", "correlation_id");
        Optional<String> replyTo = text(in, "reply_to", false).map(RequestQueueApi::replyQueue);
        String id = mailbox.publish(new RequestMailbox.Published(BatchService.owner(caller), deployment, endpoint,
                body.toString(), replyTo, correlationId));
        ObjectNode out = F.objectNode().put("id", id).put("object", "queue.request").put("deployment", deployment)
                .put("endpoint", endpoint);
        out.put("correlation_id", correlationId.orElse(null)).put("reply_to", replyTo.orElse(null));
        return out.put("status", "queued");
    }

    private ObjectNode replies(Caller caller, String replyTo, int limit) throws Exception {
        List<RequestMailbox.Reply> got = mailbox.replies(caller.app(), replyTo, limit + 1);
        ObjectNode out = F.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (RequestMailbox.Reply r : got.subList(0, Math.min(limit, got.size()))) {
            ObjectNode o = data.addObject().put("id", r.id()).put("object", "queue.reply")
                    .put("correlation_id", r.correlationId().orElse(null)).put("status", r.answer().status())
                    .put("request_id", r.answer().requestId()).put("created_at", r.createdAt().getEpochSecond());
            o.set("body", LineRunner.json(Buffer.buffer(r.answer().body())));
        }
        return out.put("has_more", got.size() > limit);
    }

    private ObjectNode acknowledge(Caller caller, String replyTo, JsonNode in) throws Exception {
        JsonNode ids = in.get("ids");
        if (!(ids instanceof ArrayNode a) || a.isEmpty() || a.size() > MAX_ACK) throw invalid("invalid_value",
                "'ids' must be an array of 1 to " + MAX_ACK + " reply ids.", "ids");
        List<String> list = new ArrayList<>();
        for (JsonNode id : a) {
            if (!id.isTextual()) throw invalid("invalid_value", "'ids' must hold reply ids (strings).", "ids");
            list.add(id.asText());
        }
        int removed = mailbox.acknowledge(caller.app(), replyTo, list);
        return F.objectNode().put("object", "queue.ack").put("acknowledged", removed);
    }

    private static String replyQueue(String name) {
        if (!NAME.matcher(name).matches()) throw invalid("invalid_value", "A reply queue's name is 1 to 128 letters,"
                + " digits or '.', '_', ':', '-', was '" + name + "'.", "reply_to");
        return name;
    }

    private Future<JsonNode> body(HttpServerRequest req) {
        Future<Buffer> read = req.body();
        if (!req.isEnded()) req.resume();
        return read.map(body -> {
            if (body.length() > maxBody) throw new SpillwayException.PayloadTooLarge(maxBody);
            try {
                JsonNode node = Json.MAPPER.readTree(body.getBytes());
                if (node instanceof ObjectNode) return node;
            } catch (IOException e) {
                // answered below
            }
            throw invalid("invalid_json", "The request body must be a JSON object.", null);
        });
    }

    private Future<Void> reply(HttpServerRequest req, int status, Callable<ObjectNode> operation) {
        if (!req.isEnded()) req.resume();
        return vertx.executeBlocking(operation, false).compose(o -> req.response().setStatusCode(status)
                .putHeader("content-type", "application/json").end(o.toString()));
    }

    private static Optional<String> text(JsonNode in, String field, boolean required) {
        JsonNode v = in.get(field);
        if ((v == null || v.isNull()) && !required) return Optional.empty();
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw invalid(required ? "missing_required_parameter"
                : "invalid_value", "'" + field + "' " + (required ? "is required and " : "") + "must be a non-empty string.",
                field);
        return Optional.of(v.asText());
    }

    private static int limit(HttpServerRequest req) {
        String v = req.getParam("limit");
        if (v == null) return 20;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 100) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("invalid_limit", "'limit' must be between 1 and 100.", "limit");
    }

    private static void require(HttpServerRequest req, HttpMethod wanted) {
        if (req.method() != wanted) throw new SpillwayException.MethodNotAllowed(req.method().name(), wanted.name());
    }

    private static SpillwayException invalid(String code, String message, String param) {
        return new SpillwayException.InvalidRequest(code, message, param);
    }
}
