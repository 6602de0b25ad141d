package dev.spillway.gateway.server;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A backend for tests: answers with whatever the test's handler does and records what it received. */
final class FakeBackend implements AutoCloseable {
    record Received(String uri, MultiMap headers, String body) {
    }

    interface Responder {
        void respond(HttpServerRequest request, Buffer body);
    }

    private final HttpServer server;
    private final String scheme;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile Responder responder = (req, body) -> req.response().putHeader("content-type", "application/json").end("{}");

    FakeBackend(Vertx vertx) throws Exception {
        this(vertx, new HttpServerOptions());
    }

    /** With {@code options}, e.g. TLS. */
    FakeBackend(Vertx vertx, HttpServerOptions options) throws Exception {
        this.scheme = options.isSsl() ? "https" : "http";
        Handler<HttpServerRequest> handler = req -> req.body().onSuccess(body -> {
            received.add(new Received(req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString()));
            responder.respond(req, body);
        });
        server = vertx.createHttpServer(options).requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
    }

    String url() {
        return scheme + "://127.0.0.1:" + server.actualPort();
    }

    Received last() {
        return received.get(received.size() - 1);
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
    }
}
