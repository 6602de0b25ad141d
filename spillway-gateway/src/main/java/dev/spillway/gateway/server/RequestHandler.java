package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import dev.spillway.gateway.pipeline.Pipeline;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Clock;
import java.util.Optional;

/**
 * Entry point for every HTTP request: matches the route, reads the body within its size and time
 * limits, runs the request pipeline and writes the reply or the error. A body over the limit is
 * refused with 413 as soon as that is known (from Content-Length, or while it streams in), and
 * the connection is closed so the rest is never read. Shared by all connections of one server.
 */
final class RequestHandler implements Handler<HttpServerRequest> {
    static final String REQUEST_ID_HEADER = "x-spillway-request-id";

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Pipeline pipeline;
    private final Health health;
    private final Clock clock;

    RequestHandler(Vertx vertx, GatewayConfig config, Pipeline pipeline, Health health, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.pipeline = pipeline;
        this.health = health;
        this.clock = clock;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Route route;
        try {
            route = FrontDoors.match(request.method(), request.path());
        } catch (SpillwayException e) {
            refuse(request, e);
            return;
        }
        switch (route) {
            case Route.Health h -> health.answer(h, request.response());
            case Route.Api api -> readBody(request, api);
        }
    }

    private void readBody(HttpServerRequest request, Route.Api api) {
        long limit = config.maxBodySize().bytes();
        String declared = request.getHeader("content-length");
        if (declared != null && parseLength(declared) > limit) {
            refuse(request, new SpillwayException.PayloadTooLarge(limit));
            return;
        }
        Buffer body = Buffer.buffer();
        long timer = vertx.setTimer(config.bodyTimeout().toMillis(), t -> refuse(request,
                new SpillwayException.RequestTimeout("The request body did not arrive within "
                        + config.bodyTimeout().toSeconds() + " s.")));
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > limit) {
                vertx.cancelTimer(timer);
                refuse(request, new SpillwayException.PayloadTooLarge(limit));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.endHandler(v -> {
            if (vertx.cancelTimer(timer)) run(request, api, body);
        });
    }

    private void run(HttpServerRequest request, Route.Api api, Buffer body) {
        Exchange exchange = new Exchange(RequestIds.next(clock), clock.instant(), System.nanoTime(),
                request.method().name(), request.path(), request.headers(), api.door(), api.operation(),
                api.deployment(), Optional.ofNullable(request.getParam("api-version")), body,
                Lifecycle.COMPLETION_ORDER);
        pipeline.run(exchange).onComplete(ar -> {
            if (ar.succeeded()) {
                new ReplyWriter(exchange, request.response()).write(ar.result());
            } else {
                SpillwayException e = ErrorWriter.classify(ar.cause(), exchange.requestId());
                exchange.span().ifPresent(span -> span.addResponseHeaders(request.response().headers()));
                ErrorWriter.write(request.response(), e, exchange.requestId())
                        .onComplete(w -> exchange.complete(new Outcome(e.status(), 0, w.succeeded(), w.failed())));
            }
        });
    }

    /** Answers with an error before the body was read, then closes so the unread rest is dropped. */
    private void refuse(HttpServerRequest request, SpillwayException e) {
        if (request.response().ended()) return;
        request.pause();
        if (request.version() == HttpVersion.HTTP_2) {
            // HTTP/2: end this stream only; the connection carries other requests.
            ErrorWriter.write(request.response(), e, RequestIds.next(clock)).onComplete(v -> request.response().reset());
            return;
        }
        request.response().putHeader("connection", "close");
        ErrorWriter.write(request.response(), e, RequestIds.next(clock)).onComplete(v -> request.connection().close());
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
