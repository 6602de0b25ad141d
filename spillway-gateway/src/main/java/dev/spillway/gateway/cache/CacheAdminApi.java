package dev.spillway.gateway.cache;

import dev.spillway.core.config.Secret;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.PresentedKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * {@code DELETE /admin/cache?app=A[&partition=ID]}: removes every cached answer of app {@code A}
 * (or of one of its partitions) from the store and the semantic index, on every replica when the
 * store is shared; answers {@code {"app": A, "removed": N}}. Needs the admin key; without one
 * configured the route does not exist (404). Shared; stateless.
 */
public final class CacheAdminApi {
    public static final String PATH = "/admin/cache";
    private final Optional<Secret> key;
    private final Caches caches;

    public CacheAdminApi(Optional<Secret> key, Caches caches) {
        this.key = key;
        this.caches = caches;
    }

    public void handle(HttpServerRequest request) {
        if (key.isEmpty()) {
            error(request, new SpillwayException.NotFound("NotFound", "No admin route " + request.path() + "."));
        } else if (!PresentedKey.matches(request, key.get())) {
            error(request, new SpillwayException.Unauthenticated("The admin endpoints need the admin key (gateway.admin.key)."));
        } else if (request.method() != HttpMethod.DELETE) {
            error(request, new SpillwayException.MethodNotAllowed(request.method().name(), "DELETE"));
        } else {
            purge(request);
        }
    }

    private void purge(HttpServerRequest request) {
        String app = request.getParam("app");
        if (app == null || app.isBlank()) {
            error(request, new SpillwayException.InvalidRequest("missing_parameter",
                    "DELETE /admin/cache needs ?app=NAME (and optionally &partition=ID).", "app"));
            return;
        }
        CachePurge scope = new CachePurge(app, Optional.ofNullable(request.getParam("partition")).filter(p -> !p.isBlank()));
        Future.fromCompletionStage(caches.purge(scope))
                .onSuccess(n -> request.response().putHeader("content-type", "application/json")
                        .end(dev.spillway.core.wire.Json.MAPPER.createObjectNode().put("app", app)
                                .put("partition", scope.partition().orElse(null)).put("removed", n).toString()))
                .onFailure(e -> error(request, new SpillwayException.Unavailable("the cache store is unavailable: "
                        + e.getMessage())));
    }

    private static void error(HttpServerRequest request, SpillwayException e) {
        request.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
        e.headers().forEach((k, v) -> request.response().putHeader(k, v));
        request.response().end(Buffer.buffer(ErrorEnvelope.of(e)));
    }
}
