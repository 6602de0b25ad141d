package dev.spillway.gateway.route;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.Secret;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.access.PresentedKey;
import dev.spillway.gateway.route.pool.BackendStates;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * {@code GET /admin/backends}: each backend's live state as JSON (healthy, cooling until, breaker
 * state, last remaining quota, utilization, latency, in flight). Requires the admin key from
 * {@code gateway.admin.key} as {@code api-key} or {@code Authorization: Bearer}; without a
 * configured key the endpoint does not exist (404). Shared; stateless.
 */
public final class AdminEndpoint {
    public static final String PREFIX = "/admin/";
    private final Optional<Secret> key;
    private final BackendStates states;

    public AdminEndpoint(Optional<Secret> key, BackendStates states) {
        this.key = key;
        this.states = states;
    }

    public void handle(HttpServerRequest request) {
        if (key.isEmpty() || !"/admin/backends".equals(request.path())) {
            error(request, new SpillwayException.NotFound("NotFound", "No admin route " + request.path() + "."));
        } else if (request.method() != HttpMethod.GET) {
            error(request, new SpillwayException.MethodNotAllowed(request.method().name(), "GET"));
        } else if (!authorized(request)) {
            error(request, new SpillwayException.Unauthenticated("The admin endpoints need the admin key (gateway.admin.key)."));
        } else {
            request.response().putHeader("content-type", "application/json").end(body());
        }
    }

    private boolean authorized(HttpServerRequest request) {
        return PresentedKey.matches(request, key.orElseThrow());
    }

    private String body() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("backends");
        for (BackendStates.BackendSnapshot s : states.snapshot()) describe(list.addObject(), s);
        return root.toString();
    }

    /** Writes one backend's state into {@code o} (shared with the console's backends page). */
    public static ObjectNode describe(ObjectNode o, BackendStates.BackendSnapshot s) {
        o.put("name", s.name()).put("region", s.region())
                .put("healthy", s.healthy()).put("breaker", s.breakerState())
                .put("latency-ms", s.latencyAverage().toMillis()).put("in-flight", s.inFlight())
                .put("sent", s.sent()).put("throttled", s.throttled()).put("drained", s.drained());
        o.put("cooling-until", s.coolingUntil().map(Object::toString).orElse(null));
        if (s.remainingTokens().isPresent()) o.put("remaining-tokens", s.remainingTokens().getAsLong());
        if (s.remainingRequests().isPresent()) o.put("remaining-requests", s.remainingRequests().getAsLong());
        if (s.utilizationPercent().isPresent()) o.put("utilization-percent", s.utilizationPercent().getAsDouble());
        return o;
    }

    private static void error(HttpServerRequest request, SpillwayException e) {
        request.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
        e.headers().forEach((k, v) -> request.response().putHeader(k, v));
        request.response().end(io.vertx.core.buffer.Buffer.buffer(ErrorEnvelope.of(e)));
    }
}
