package dev.spillway.gateway.ledger;

import dev.spillway.core.config.Secret;
import dev.spillway.core.error.ErrorEnvelope;
import dev.spillway.core.error.SpillwayException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/usage?by=app&period=2026-11&format=json}: the chargeback report over HTTP
 ({@code by} defaults to app, {@code format} to json; {@code period} is required). The database query runs on a worker thread, never on the event loop.
 * Authorization is the mounting router's job. Thread-safe; one per server.
 */
public final class UsageAdminHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(UsageAdminHandler.class);
    public static final String PATH = "/admin/usage";
    private final Vertx vertx;
    private final UsageReports reports;
    private final Optional<Secret> adminKey;

    /** {@code adminKey} is {@code gateway.admin.key}; without one the endpoint does not exist (404). */
    public UsageAdminHandler(Vertx vertx, UsageReports reports, Optional<Secret> adminKey) {
        this.vertx = vertx;
        this.reports = reports;
        this.adminKey = adminKey;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (adminKey.isEmpty()) {
            fail(req, new SpillwayException.NotFound("NotFound", "No admin route " + req.path() + "."));
            return;
        }
        if (!authorized(req)) {
            fail(req, new SpillwayException.Unauthenticated("The admin endpoints need the admin key (gateway.admin.key)."));
            return;
        }
        if (!"GET".equals(req.method().name())) {
            fail(req, new SpillwayException.MethodNotAllowed(req.method().name(), "GET"));
            return;
        }
        Query q;
        try {
            q = Query.of(req);
        } catch (IllegalArgumentException e) {
            fail(req, new SpillwayException.InvalidRequest("invalid_parameter", e.getMessage(), null));
            return;
        }
        vertx.executeBlocking(() -> q.format().write(reports.report(q.by(), q.period())), false)
                .onSuccess(body -> req.response().putHeader("content-type", q.format().contentType()).end(body))
                .onFailure(e -> {
                    LOG.error("usage report failed: {}", e.toString());
                    fail(req, new SpillwayException.Unavailable("the usage database is unavailable: " + e.getMessage()));
                });
    }

    /** The admin key as {@code api-key} or {@code Authorization: Bearer}, compared in constant time. */
    private boolean authorized(HttpServerRequest req) {
        String given = req.getHeader("api-key");
        String auth = req.getHeader("authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) given = auth.substring(7).trim();
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                adminKey.orElseThrow().value().getBytes(StandardCharsets.UTF_8));
    }

    private static void fail(HttpServerRequest req, SpillwayException e) {
        HttpServerResponse resp = req.response().setStatusCode(e.status()).putHeader("content-type", "application/json");
        e.headers().forEach(resp::putHeader);
        resp.end(Buffer.buffer(ErrorEnvelope.of(e)));
    }

    private record Query(Dimension by, YearMonth period, ReportFormat format) {
        static Query of(HttpServerRequest req) {
            String period = Optional.ofNullable(req.getParam("period"))
                    .orElseThrow(() -> new IllegalArgumentException("period is required, e.g. period=2026-11"));
            return new Query(UsageReports.parseBy(Optional.ofNullable(req.getParam("by")).orElse("app")),
                    UsageReports.parsePeriod(period),
                    ReportFormat.parse(Optional.ofNullable(req.getParam("format")).orElse("json")));
        }
    }
}
