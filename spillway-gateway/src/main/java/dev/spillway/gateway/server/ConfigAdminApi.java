package dev.spillway.gateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.PresentedKey;
import dev.spillway.gateway.reload.ConfigRoster;
import dev.spillway.gateway.reload.ReloadOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * {@code GET /admin/config}: the config in force (its source, SHA-256 and when it was applied, the
 * changed keys that wait for a restart), the reload counts, the last refused attempt with its
 * errors, and which config each live replica runs ({@link ConfigRoster}); {@code POST /admin/config/reload}: reloads now and answers what happened
 * ({@code applied}, {@code refused} with the errors, or {@code unchanged}). Both need the admin key;
 * without one configured, or when the gateway was not started from a file, they do not exist
 * (404). Shared; stateless.
 */
final class ConfigAdminApi {
    static final String PATH = "/admin/config";
    static final String RELOAD = "/admin/config/reload";
    private final Optional<Secret> key;
    private final Optional<ConfigReloader> reloader;

    ConfigAdminApi(Optional<Secret> key, Optional<ConfigReloader> reloader) {
        this.key = key;
        this.reloader = reloader;
    }

    static boolean owns(String path) {
        return PATH.equals(path) || RELOAD.equals(path);
    }

    void handle(HttpServerRequest request) {
        HttpMethod allowed = RELOAD.equals(request.path()) ? HttpMethod.POST : HttpMethod.GET;
        if (key.isEmpty() || reloader.isEmpty()) {
            error(request, new SpillwayException.NotFound("NotFound", "No admin route " + request.path()
                    + (key.isEmpty() ? "." : ": the gateway was not started from a config file.")));
        } else if (request.method() != allowed) {
            error(request, new SpillwayException.MethodNotAllowed(request.method().name(), allowed.name()));
        } else if (!PresentedKey.matches(request, key.get())) {
            error(request, new SpillwayException.Unauthenticated("The admin endpoints need the admin key (gateway.admin.key)."));
        } else if (allowed == HttpMethod.GET) {
            json(request, status(reloader.get()));
        } else {
            reloader.get().reload().onComplete(ar -> {
                if (ar.succeeded()) json(request, outcome(Json.MAPPER.createObjectNode(), ar.result()));
                else error(request, new SpillwayException.Internal("The reload failed: " + ar.cause().getMessage()));
            });
        }
    }

    private static ObjectNode status(ConfigReloader r) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("source", r.source());
        ReloadOutcome.Applied a = r.inForce();
        o.put("sha256", a.hash());
        o.put("applied_at", a.at().toString());
        var waiting = o.putArray("restart_needed");
        a.restartNeeded().forEach(waiting::add);
        o.putObject("reloads").put("applied", r.appliedCount()).put("refused", r.refusedCount());
        r.lastRefused().ifPresent(f -> outcome(o.putObject("last_refused"), f));
        fleet(o.putObject("fleet"), r.roster());
        return o;
    }

    /** Which config each live replica runs, as this replica last read it from the shared roster. */
    private static void fleet(ObjectNode o, ConfigRoster roster) {
        ConfigRoster.View v = roster.view();
        o.put("replica", roster.replica()).put("shared", v.shared()).put("same_config", v.same())
                .put("checked_at", v.at().toString());
        ObjectNode replicas = o.putObject("replicas");
        v.replicas().forEach(replicas::put);
    }

    private static ObjectNode outcome(ObjectNode o, ReloadOutcome outcome) {
        switch (outcome) {
            case ReloadOutcome.Applied a -> {
                o.put("outcome", "applied").put("sha256", a.hash()).put("at", a.at().toString());
                var list = o.putArray("restart_needed");
                a.restartNeeded().forEach(list::add);
            }
            case ReloadOutcome.Refused f -> {
                o.put("outcome", "refused").put("sha256", f.hash()).put("at", f.at().toString());
                var list = o.putArray("errors");
                f.errors().forEach(list::add);
            }
            case ReloadOutcome.Unchanged u -> o.put("outcome", "unchanged").put("sha256", u.hash());
        }
        return o;
    }

    private static void json(HttpServerRequest request, ObjectNode body) {
        request.response().putHeader("content-type", "application/json").end(body.toString());
    }

    private static void error(HttpServerRequest request, SpillwayException e) {
        request.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
        e.headers().forEach((k, v) -> request.response().putHeader(k, v));
        request.response().end(Buffer.buffer(ErrorEnvelope.of(e)));
    }
}
