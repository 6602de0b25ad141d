package dev.spillway.gateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.Authenticator;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.server.ErrorWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The Files and Batches HTTP API under {@code /v1/}, {@code /openai/v1/} and Azure's
 * {@code /openai/...?api-version=}: {@code files} (upload as multipart, list, retrieve, content)
 * and {@code batches} (create, list, retrieve, cancel). The caller is authenticated from the
 * headers before any body is read, by the same authenticator as model calls. Database work runs on
 * worker threads. Thread-safe; one per gateway.
 */
public final class BatchApi {
    private static final Pattern PATH = Pattern.compile("^(/v1|/openai/v1|/openai)/(files|batches)(?:/([^/]+))?(?:/(content|cancel))?/?$");
    private static final int MAX_JSON = 64 * 1024;
    private final Vertx vertx;
    private final BatchService service;
    private final Supplier<Authenticator> authenticator;
    private final BatchConfig config;

    BatchApi(Vertx vertx, BatchService service, Supplier<Authenticator> authenticator, BatchConfig config) {
        this.vertx = vertx;
        this.service = service;
        this.authenticator = authenticator;
        this.config = config;
    }

    /**
     * Whether {@code path} is a Files or Batches API path. Every request's path is asked, so the
     * prefixes the pattern requires are checked before it runs.
     */
    public static boolean owns(String path) {
        return (path.startsWith("/v1/") || path.startsWith("/openai/"))
                && (path.contains("/files") || path.contains("/batches")) && PATH.matcher(path).matches();
    }

    public void handle(HttpServerRequest req) {
        req.pause();
        Matcher m = PATH.matcher(req.path());
        if (!m.matches()) throw new IllegalStateException("not a batch API path: " + req.path());
        authenticator.get().authenticate(req.headers()).compose(caller -> route(req, caller, m.group(1), m.group(2), Optional.ofNullable(m.group(3)),
                Optional.ofNullable(m.group(4)))).onComplete(ar -> {
                    if (ar.failed()) fail(req, ar.cause());
                });
    }


    private Future<Void> route(HttpServerRequest req, Caller caller, String prefix, String kind, Optional<String> id,
            Optional<String> action) {
        if ("/openai".equals(prefix) && req.getParam("api-version") == null) {
            throw new SpillwayException.InvalidRequest("missing_api_version",
                    "The 'api-version' query parameter is required on /openai/" + kind + " routes, e.g. ?api-version=2024-10-21.",
                    "api-version");
        }
        HttpMethod method = req.method();
        if (kind.equals("files")) return files(req, caller, method, id, action);
        if (id.isEmpty()) {
            if (method == HttpMethod.POST) return json(req).compose(body -> reply(req, () -> service.create(caller, body)));
            require(method, HttpMethod.GET, "GET, POST");
            return reply(req, () -> service.batches(caller, limit(req, 100), param(req, "after")));
        }
        if (action.isEmpty()) {
            require(method, HttpMethod.GET, "GET");
            return reply(req, () -> service.batch(caller, id.get()));
        }
        if (!action.get().equals("cancel")) throw notFound(req);
        require(method, HttpMethod.POST, "POST");
        return reply(req, () -> service.cancel(caller, id.get()));
    }

    private Future<Void> files(HttpServerRequest req, Caller caller, HttpMethod method, Optional<String> id,
            Optional<String> action) {
        if (id.isEmpty()) {
            if (method == HttpMethod.POST) return Uploads.read(req, config.maxFileSize().bytes())
                    .compose(u -> reply(req, () -> service.upload(caller, u.purpose(), u.filename(), u.content())));
            require(method, HttpMethod.GET, "GET, POST");
            return reply(req, () -> service.files(caller, param(req, "purpose"), limit(req, 10_000), param(req, "after")));
        }
        require(method, HttpMethod.GET, "GET");
        if (action.isEmpty()) return reply(req, () -> service.file(caller, id.get()));
        if (!action.get().equals("content")) throw notFound(req);
        return vertx.executeBlocking(() -> service.content(caller, id.get()), false).compose(bytes -> req.response()
                .putHeader("content-type", "application/octet-stream").end(Buffer.buffer(bytes)));
    }

    private Future<JsonNode> json(HttpServerRequest req) {
        Future<Buffer> read = req.body();
        if (!req.isEnded()) req.resume();
        return read.map(body -> {
            if (body.length() > MAX_JSON) throw new SpillwayException.PayloadTooLarge(MAX_JSON);
            try {
                JsonNode node = Json.MAPPER.readTree(body.getBytes());
                if (node instanceof ObjectNode) return node;
            } catch (java.io.IOException e) {
                // answered below
            }
            throw new SpillwayException.InvalidRequest("invalid_json", "The request body must be a JSON object.", null);
        });
    }

    private Future<Void> reply(HttpServerRequest req, Callable<ObjectNode> operation) {
        if (!req.isEnded()) req.resume();
        return vertx.executeBlocking(operation, false).compose(o -> req.response()
                .putHeader("content-type", "application/json").end(o.toString()));
    }

    private static void require(HttpMethod method, HttpMethod wanted, String allow) {
        if (method != wanted) throw new SpillwayException.MethodNotAllowed(method.name(), allow);
    }

    private static Optional<String> param(HttpServerRequest req, String name) {
        return Optional.ofNullable(req.getParam(name)).filter(s -> !s.isBlank());
    }

    private static int limit(HttpServerRequest req, int max) {
        String v = req.getParam("limit");
        if (v == null) return Math.min(20, max);
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SpillwayException.InvalidRequest("invalid_limit", "'limit' must be between 1 and " + max + ".", "limit");
    }

    private static SpillwayException notFound(HttpServerRequest req) {
        return new SpillwayException.NotFound("NotFound", "No route for " + req.method().name() + " " + req.path() + ".");
    }

    /** Writes the error; a body left unread is dropped with the connection, as the model routes do. */
    static void fail(HttpServerRequest req, Throwable cause) {
        SpillwayException e = ErrorWriter.classify(cause, "");
        if (req.response().ended()) return;
        if (req.isEnded()) {
            ErrorWriter.write(req.response(), e, "");
            return;
        }
        if (req.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            // HTTP/2: end this stream only; the connection carries other requests.
            ErrorWriter.write(req.response(), e, "").onComplete(v -> req.response().reset());
            return;
        }
        req.response().putHeader("connection", "close");
        ErrorWriter.write(req.response(), e, "").onComplete(v -> req.connection().close());
    }
}
