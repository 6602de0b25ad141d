package dev.spillway.gateway.telemetry;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics}: the Prometheus text exposition of {@link GatewayMetrics}. The scrape is
 * rendered on a worker thread so a large scrape never stalls the event loop. Thread-safe.
 */
public final class MetricsEndpoint implements Handler<HttpServerRequest> {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Vertx vertx;
    private final GatewayMetrics metrics;

    public MetricsEndpoint(Vertx vertx, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpServerRequest req) {
        vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(text -> req.response().putHeader("content-type", CONTENT_TYPE).end(text))
                .onFailure(e -> req.response().setStatusCode(500).end("scrape failed: " + e.getMessage() + "\n"));
    }
}
