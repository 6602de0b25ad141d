package dev.spillway.gateway.server;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Completion;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Outcome;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entry point for every HTTP request: matches the route, authenticates the caller on the headers
 * ({@link dev.spillway.gateway.access.Authenticator}, before a byte of the body is read), reads the body within its limits
 * ({@link BodyReader}), runs the request pipeline and writes the reply or the error. A caller
 * without a valid key is answered 401 and the connection closed with its body unread; such
 * rejections are counted ({@link Rejections}), never ledgered or audited. An over-limit body is
 * refused as soon as that is known and the connection closed so the rest is never read. Shared by
 * all connections of one server.
 */
final class RequestHandler implements Handler<HttpServerRequest> {
    static final String REQUEST_ID_HEADER = "x-spillway-request-id";
    /** How long a refused request's unread body is discarded before the connection is closed. */
    static final Duration LINGER = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final AtomicReference<Generation> current;
    private final BodyReader.Limits bodyLimits;
    private final Rejections rejections;
    private final Health health;
    private final Clock clock;

    RequestHandler(Vertx vertx, AtomicReference<Generation> current, BodyReader.Limits bodyLimits,
            Rejections rejections, Health health, Clock clock) {
        this.vertx = vertx;
        this.current = current;
        this.bodyLimits = bodyLimits;
        this.rejections = rejections;
        this.health = health;
        this.clock = clock;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Route route;
        try {
            FrontDoors.requireHost(request);
            route = FrontDoors.match(request.method(), request.path());
        } catch (SpillwayException e) {
            refuse(request, e);
            return;
        }
        switch (route) {
            case Route.Health h -> health.answer(h, request.response());
            case Route.Api api -> authenticateThenRead(request, api);
        }
    }

    /** The health listener ({@code health-port}): probes only, everything else 404. */
    void handleHealthOnly(HttpServerRequest request) {
        try {
            FrontDoors.requireHost(request);
            if (FrontDoors.match(request.method(), request.path()) instanceof Route.Health h) {
                health.answer(h, request.response());
                return;
            }
            refuse(request, new SpillwayException.NotFound("NotFound", "The health listener serves only /healthz, "
                    + "/readyz and " + FrontDoors.AZURE_STATUS + "."));
        } catch (SpillwayException e) {
            refuse(request, e);
        }
    }

    /**
     * The pre-body authentication stage: no body is buffered until the caller is known. The
     * request takes the config generation in force now and keeps it to its end.
     */
    private void authenticateThenRead(HttpServerRequest request, Route.Api api) {
        request.pause();
        Generation generation = current.get();
        generation.lifecycle.authenticate().authenticate(request.headers()).onComplete(ar -> {
            if (ar.failed()) {
                SpillwayException e = ErrorWriter.classify(ar.cause(), "");
                rejections.unauthenticated(request, e);
                refuse(request, e);
                return;
            }
            BodyReader reader = new BodyReader(vertx, bodyLimits, request, this::refuse);
            reader.read(body -> run(request, api, ar.result(), body, reader, generation));
        });
    }

    private void run(HttpServerRequest request, Route.Api api, Caller caller, Buffer body, BodyReader reader,
            Generation taken) {
        Generation generation = GatewayServer.enter(current, taken);
        Exchange exchange = new Exchange(RequestIds.next(clock), clock.instant(), System.nanoTime(),
                request.method().name(), request.path(), request.headers(), api.door(), api.operation(),
                api.deployment(), Optional.ofNullable(request.getParam("api-version")), body,
                Lifecycle.COMPLETION_ORDER);
        exchange.caller(caller);
        exchange.onComplete(Completion.RELEASE_BODY, outcome -> {
            reader.release();
            generation.leave();
        });
        if (request.remoteAddress() != null) exchange.peerAddress(request.remoteAddress().hostAddress());
        generation.lifecycle.requestTier().run(exchange).onComplete(ar -> {
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

    /**
     * Answers with an error before the body was read, then drops the unread rest and closes. A body
     * that may still be of an acceptable size (401, 503) is first discarded, never buffered, for at
     * most {@link #LINGER} or {@code max-body-size} bytes (nginx's lingering close), so a client
     * still sending it reads the answer instead of a reset; an oversized or too-slow body (413,
     * 408) is not waited for.
     */
    private void refuse(HttpServerRequest request, SpillwayException e) {
        if (request.response().ended()) return;
        request.pause();
        String id = RequestIds.next(clock);
        if (request.version() == HttpVersion.HTTP_2) {
            // HTTP/2: end this stream only; the connection carries other requests.
            ErrorWriter.write(request.response(), e, id).onComplete(v -> request.response().reset());
            return;
        }
        request.response().putHeader("connection", "close");
        boolean linger = !(e instanceof SpillwayException.PayloadTooLarge || e instanceof SpillwayException.RequestTimeout);
        ErrorWriter.write(request.response(), e, id).onComplete(v -> {
            if (linger) drainThenClose(request);
            else request.connection().close();
        });
    }

    private void drainThenClose(HttpServerRequest request) {
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long timer = vertx.setTimer(LINGER.toMillis(), t -> request.connection().close());
        long[] discarded = {0};
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > bodyLimits.maxSize() && vertx.cancelTimer(timer)) request.connection().close();
        });
        request.exceptionHandler(x -> vertx.cancelTimer(timer));
        request.endHandler(v -> {
            if (vertx.cancelTimer(timer)) request.connection().close();
        });
        request.resume();
    }
}
