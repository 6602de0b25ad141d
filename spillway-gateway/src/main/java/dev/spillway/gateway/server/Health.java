package dev.spillway.gateway.server;

import io.vertx.core.http.HttpServerResponse;

/**
 * Answers the probes: {@code /healthz} (the process is up), {@code /readyz} (it serves requests) and
 * Azure's {@code /status-0123456789abcdef}. Thread-safe.
 */
final class Health {
    private volatile boolean ready;

    void ready(boolean value) {
        this.ready = value;
    }

    void answer(Route.Health probe, HttpServerResponse response) {
        boolean ok = "/healthz".equals(probe.kind()) || ready;
        response.setStatusCode(ok ? 200 : 503)
                .putHeader("content-type", "application/json")
                .end(ok ? "{\"status\":\"ok\"}" : "{\"status\":\"starting\"}");
    }
}
