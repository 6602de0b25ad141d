package dev.spillway.gateway.telemetry;

import dev.spillway.core.config.Secret;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.PresentedKey;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /metrics}: the Prometheus text exposition of {@link GatewayMetrics}, for anyone or,
 * with {@code telemetry.metrics-key}, only for a scraper that presents that key (the metrics name
 * apps and backends). The scrape is rendered on a worker thread so a large scrape never stalls the
 * event loop. Thread-safe.
 */
public final class MetricsEndpoint implements Handler<HttpServerRequest> {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Vertx vertx;
    private final GatewayMetrics metrics;

    private final Optional<Secret> key;

    public MetricsEndpoint(Vertx vertx, GatewayMetrics metrics, Optional<Secret> key) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.key = key;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (key.isPresent() && !PresentedKey.matches(req, key.get())) {
            SpillwayException e = new SpillwayException.Unauthenticated("/metrics needs the metrics key "
                    + "(gateway.telemetry.metrics-key) as 'Authorization: Bearer <key>'.");
            req.response().setStatusCode(e.status()).putHeader("content-type", "application/json")
                    .end(Buffer.buffer(ErrorEnvelope.of(e)));
            return;
        }
        vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(text -> req.response().putHeader("content-type", CONTENT_TYPE).end(text))
                .onFailure(e -> req.response().setStatusCode(500).end("scrape failed: " + e.getMessage() + "\n"));
    }
}
