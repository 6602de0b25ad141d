package dev.spillway.gateway.access.jwt;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * Fetches JWKS documents with the Vert.x HTTP client: non-blocking, no redirects followed, 5 s
 * connect and idle timeouts, documents over 512 KB refused. Thread-safe; one per gateway.
 */
public final class VertxJwksFetcher implements JwksFetcher {
    private static final int MAX_BYTES = 512 * 1024;
    private static final int TIMEOUT_MS = 5_000;

    private final HttpClient client;

    public VertxJwksFetcher(Vertx vertx) {
        // A fresh connection per fetch: fetches are minutes apart, and a pooled connection the
        // JWKS host has meanwhile closed would fail the re-read that an unknown kid depends on.
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT_MS)
                .setIdleTimeout(TIMEOUT_MS / 1000).setKeepAlive(false));
    }

    @Override
    public CompletionStage<String> fetch(URI uri) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                .setFollowRedirects(false).setIdleTimeout(TIMEOUT_MS).putHeader("accept", "application/json");
        // Nested, so the body handler is set on the event loop as the response arrives (fetch is
        // called from other threads; a handler set later can miss the body).
        return client.request(options)
                .compose(req -> req.send().compose(resp -> resp.statusCode() == 200 ? resp.body()
                        : Future.failedFuture("JWKS " + uri + " answered HTTP " + resp.statusCode())))
                .compose(body -> body.length() > MAX_BYTES
                        ? Future.failedFuture("JWKS " + uri + " is larger than " + MAX_BYTES + " bytes")
                        : Future.succeededFuture(body.toString(StandardCharsets.UTF_8)))
                .toCompletionStage();
    }
}
