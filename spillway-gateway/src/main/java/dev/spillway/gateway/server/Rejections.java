package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.telemetry.GatewayMetrics;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for requests refused before a caller is known (no key, an unknown key, a bad token):
 * a counter ({@code spillway_rejected_total{reason="unauthenticated"}}) and at most one log line per
 * {@link #LOG_EVERY}, naming how many were refused since the last one. Nothing is written to the
 * ledger or the audit log, so keyless traffic costs no disk. Thread-safe; one per gateway.
 */
final class Rejections {
    static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Rejections.class);

    private final GatewayMetrics metrics;
    private final Clock clock;
    private final AtomicLong sinceLog = new AtomicLong();
    private final AtomicReference<Instant> nextLog = new AtomicReference<>(Instant.MIN);

    Rejections(GatewayMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    void unauthenticated(HttpServerRequest request, SpillwayException e) {
        metrics.rejected("unauthenticated");
        long count = sinceLog.incrementAndGet();
        Instant now = clock.instant();
        Instant due = nextLog.get();
        if (now.isBefore(due) || !nextLog.compareAndSet(due, now.plus(LOG_EVERY))) return;
        sinceLog.addAndGet(-count);
        LOG.warn("refused {} request(s) without a valid credential in the last {} s; latest from {}: {} {}: {}",
                count, LOG_EVERY.toSeconds(), request.remoteAddress(), request.method(), request.path(), e.getMessage());
    }
}
