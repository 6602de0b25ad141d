package dev.spillway.gateway.access.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Durations;
import dev.spillway.core.config.Secret;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.BodyBuffers;
import dev.spillway.core.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The key admin API under {@code /admin/keys}, guarded by its own credential ({@code gateway.admin.key},
 * sent as {@code api-key} or {@code Authorization: Bearer}): list ({@code GET}), create
 * ({@code POST}), {@code POST /admin/keys/{id}/rotate} and {@code POST /admin/keys/{id}/revoke}.
 * Database work runs off the event loop. Thread-safe; one per gateway server.
 */
public final class KeysAdminApi {
    public static final String PATH = "/admin/keys";
    private static final int MAX_BODY = 64 * 1024;
    private static final Set<String> CREATE_FIELDS = Set.of("name", "app", "team", "owner", "deployments", "limits",
            "expires-in");

    private final Vertx vertx;
    private final KeyService keys;
    private final Optional<Secret> adminKey;

    public KeysAdminApi(Vertx vertx, KeyService keys, Optional<Secret> adminKey) {
        this.vertx = vertx;
        this.keys = keys;
        this.adminKey = adminKey;
    }

    /** Whether {@code path} belongs to this API (the server mounts it for these paths). */
    public static boolean owns(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /**
     * Checks the admin key and the declared size on the headers, before any body is read: a caller
     * without the key, or with an oversized body, is answered at once and the connection closed
     * with the body unread (issue 10: nobody without a key makes the gateway buffer a body).
     */
    public void handle(HttpServerRequest req) {
        try {
            authorize(req);
            if (BodyBuffers.declaredLength(req.getHeader("content-length")) > MAX_BODY) {
                throw new SpillwayException.PayloadTooLarge(MAX_BODY);
            }
        } catch (SpillwayException e) {
            req.pause();
            if (req.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
                fail(req, e); // ends this stream only; the connection carries others
                return;
            }
            req.response().putHeader("connection", "close");
            fail(req, e).onComplete(v -> req.connection().close());
            return;
        }
        req.body().compose(body -> {
            if (body.length() > MAX_BODY) throw new SpillwayException.PayloadTooLarge(MAX_BODY);
            return route(req.method(), req.path().substring(PATH.length()), body);
        }).onComplete(ar -> {
            if (ar.succeeded()) reply(req, ar.result().status(), ar.result().body());
            else fail(req, ar.cause());
        });
    }

    private record Answer(int status, JsonNode body) {
    }

    private void authorize(HttpServerRequest req) {
        String expected = adminKey.map(Secret::value).orElseThrow(() -> new SpillwayException.Forbidden(
                "admin_disabled", "The admin API is disabled: set gateway.admin.key to enable it."));
        String given = Optional.ofNullable(req.getHeader("api-key")).orElseGet(() -> bearer(req));
        if (given == null || given.isEmpty()) {
            throw new SpillwayException.Unauthenticated("The admin API needs the admin key in api-key or Authorization: Bearer.");
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new SpillwayException.Forbidden("not_admin", "This credential may not use the admin API.");
        }
    }

    private static String bearer(HttpServerRequest req) {
        String h = req.getHeader("authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    }

    private Future<Answer> route(HttpMethod method, String rest, Buffer body) {
        if (rest.isEmpty() || rest.equals("/")) {
            if (method == HttpMethod.GET) return blocking(() -> new Answer(200, list()));
            if (method == HttpMethod.POST) return blocking(() -> issued(201, keys.create(newKey(json(body)))));
            throw new SpillwayException.MethodNotAllowed(method.name(), "GET, POST");
        }
        String[] parts = rest.substring(1).split("/", -1);
        if (parts.length != 2 || !(parts[1].equals("rotate") || parts[1].equals("revoke"))) {
            throw new SpillwayException.NotFound("not_found", "No admin route " + PATH + rest + ".");
        }
        if (method != HttpMethod.POST) throw new SpillwayException.MethodNotAllowed(method.name(), "POST");
        String id = parts[0];
        if (parts[1].equals("revoke")) {
            return blocking(() -> new Answer(200, KeyJson.describe(keys.revoke(id).orElseThrow(() -> missing(id)))));
        }
        Duration overlap = overlap(json(body));
        return blocking(() -> issued(200, keys.rotate(id, overlap).orElseThrow(() -> missing(id))));
    }

    private ObjectNode list() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        keys.list().forEach(k -> o.withArray("data").add(KeyJson.describe(k)));
        if (!o.has("data")) o.putArray("data");
        return o;
    }

    private static Answer issued(int status, KeyService.IssuedKey issued) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("key", KeyJson.describe(issued.key()));
        o.put("secret", issued.secret());
        return new Answer(status, o);
    }

    private static SpillwayException missing(String id) {
        return new SpillwayException.NotFound("key_not_found", "No active key with id '" + id + "'.");
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /** Reads a create request's body (the console's create form sends the same JSON). */
    public static KeyService.NewKey newKey(JsonNode o) {
        try {
            KeyJson.onlyKnown(o, CREATE_FIELDS, "");
            Set<String> deployments = o.has("deployments") ? strings(o.get("deployments")) : Set.of();
            return new KeyService.NewKey(text(o, "name").orElse(""), text(o, "app").orElse(""), text(o, "team"),
                    text(o, "owner"), deployments, KeyJson.limits(o.get("limits")),
                    text(o, "expires-in").map(Durations::parse));
        } catch (IllegalArgumentException e) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", e.getMessage(), null);
        }
    }

    private static Duration overlap(JsonNode o) {
        try {
            KeyJson.onlyKnown(o, Set.of("overlap"), "");
            return text(o, "overlap").map(Durations::parse).orElse(Duration.ofHours(24));
        } catch (IllegalArgumentException e) {
            throw new SpillwayException.InvalidRequest("invalid_request_error", e.getMessage(), null);
        }
    }

    private static JsonNode json(Buffer body) {
        if (body.length() == 0) return Json.MAPPER.createObjectNode();
        try {
            JsonNode n = Json.MAPPER.readTree(body.getBytes());
            if (!n.isObject()) throw new SpillwayException.InvalidRequest("The body must be a JSON object.");
            return n;
        } catch (java.io.IOException e) {
            throw new SpillwayException.InvalidRequest("The body is not valid JSON.");
        }
    }

    private static Optional<String> text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new IllegalArgumentException(field + ": must be a string");
        return Optional.of(v.textValue());
    }

    private static Set<String> strings(JsonNode v) {
        if (!v.isArray()) throw new IllegalArgumentException("deployments: must be a list of names");
        Set<String> out = new java.util.TreeSet<>();
        v.forEach(x -> {
            if (!x.isTextual()) throw new IllegalArgumentException("deployments: must be a list of names");
            out.add(x.textValue());
        });
        return out.stream().collect(Collectors.toUnmodifiableSet());
    }

    private static void reply(HttpServerRequest req, int status, JsonNode body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }

    private static io.vertx.core.Future<Void> fail(HttpServerRequest req, Throwable error) {
        SpillwayException e = error instanceof SpillwayException s ? s
                : new SpillwayException.Unavailable("The key store failed: " + error.getMessage());
        var resp = req.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
        e.headers().forEach(resp::putHeader);
        return resp.end(Buffer.buffer(ErrorEnvelope.of(e)));
    }
}
