package dev.spillway.gateway.server;

import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers the probes: {@code /healthz} (the process is up), {@code /readyz} (it serves requests) and
 * Azure's {@code /status-0123456789abcdef}, which is healthy only while every pool has a healthy
 * backend, so a global load balancer can fail over between Spillway regions. Thread-safe.
 */
final class Health {
    private final Supplier<List<String>> poolsWithoutHealthyBackend;
    private volatile boolean ready;

    Health(Supplier<List<String>> poolsWithoutHealthyBackend) {
        this.poolsWithoutHealthyBackend = poolsWithoutHealthyBackend;
    }

    void ready(boolean value) {
        this.ready = value;
    }

    void answer(Route.Health probe, HttpServerResponse response) {
        if (FrontDoors.AZURE_STATUS.equals(probe.kind()) && ready) {
            List<String> down = poolsWithoutHealthyBackend.get();
            if (!down.isEmpty()) {
                respond(response, 503, dev.spillway.core.wire.Json.MAPPER.createObjectNode().put("status", "degraded")
                        .put("reason", "no healthy backend in pool(s): " + String.join(", ", down)).toString());
                return;
            }
        }
        boolean ok = "/healthz".equals(probe.kind()) || ready;
        respond(response, ok ? 200 : 503, ok ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}");
    }

    private static void respond(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }
}
