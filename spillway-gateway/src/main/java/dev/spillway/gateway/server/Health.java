package dev.spillway.gateway.server;

import io.vertx.core.http.HttpServerResponse;
import java.util.function.BooleanSupplier;

/**
 * Answers the probes: {@code /healthz} (the process is up), {@code /readyz} (it serves requests) and
 * Azure's {@code /status-0123456789abcdef}, which is healthy only while every pool has a healthy
 * backend, so a global load balancer can fail over between Spillway regions. Thread-safe.
 */
final class Health {
    private final BooleanSupplier poolsHealthy;
    private volatile boolean ready;

    Health(BooleanSupplier poolsHealthy) {
        this.poolsHealthy = poolsHealthy;
    }

    void ready(boolean value) {
        this.ready = value;
    }

    void answer(Route.Health probe, HttpServerResponse response) {
        if (FrontDoors.AZURE_STATUS.equals(probe.kind()) && ready && !poolsHealthy.getAsBoolean()) {
            respond(response, 503, "{\"status\":\"degraded\",\"reason\":\"a pool has no healthy backend\"}");
            return;
        }
        boolean ok = "/healthz".equals(probe.kind()) || ready;
        respond(response, ok ? 200 : 503, ok ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}");
    }

    private static void respond(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }
}
