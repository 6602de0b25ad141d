package dev.spillway.gateway.access.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on 127.0.0.1:0 that serves whatever keys the test publishes and counts fetches. */
final class JwksServer implements AutoCloseable {
    private final HttpServer server;
    private volatile String body = new JWKSet().toString();
    final AtomicInteger fetches = new AtomicInteger();

    JwksServer(Vertx vertx) {
        this.server = vertx.createHttpServer().requestHandler(req -> {
            fetches.incrementAndGet();
            req.response().putHeader("content-type", "application/json").end(body);
        }).listen(0, "127.0.0.1").await();
    }

    void publish(List<JWK> keys) {
        body = new JWKSet(keys).toPublicJWKSet().toString();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort() + "/keys");
    }

    @Override
    public void close() {
        server.close().await();
    }
}
