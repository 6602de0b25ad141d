package dev.spillway.gateway.route.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.error.SpillwayException;
import dev.spillway.core.wire.Json;
import dev.spillway.gateway.config.OAuthConfig;
import dev.spillway.gateway.route.Delay;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bearer tokens from a token endpoint ({@link TokenRequest}: Entra ID's client-credentials form, a
 * managed identity's endpoint), cached until shortly before they expire. A token past its refresh time is still handed out while one fetch renews it
 * in the background; a fetch is also scheduled ahead of time, so requests normally never wait.
 * Only when no valid token exists does a request wait for the (single, shared) fetch, without
 * blocking its event loop. Thread-safe; one per backend identity for the gateway's life.
 */
public final class TokenSource {
    /** A token and when it stops being usable and when to renew it, in epoch ms. */
    record Token(String value, long expiresAt, long refreshAt) {
    }

    private final TokenRequest request;
    private final Duration refreshBefore;
    private final HttpClient client;
    private final Clock clock;
    private final Delay delay;
    private final AtomicReference<Future<Token>> fetching = new AtomicReference<>();
    private volatile Token token;
    private volatile boolean closed;

    public TokenSource(OAuthConfig config, HttpClient client, Clock clock, Delay delay) {
        this(clientCredentials(config), config.refreshBefore(), client, clock, delay);
    }

    public TokenSource(TokenRequest request, Duration refreshBefore, HttpClient client, Clock clock, Delay delay) {
        this.request = request;
        this.refreshBefore = refreshBefore;
        this.client = client;
        this.clock = clock;
        this.delay = delay;
    }

    /** A valid access token: the cached one, or the one being fetched. */
    public Future<String> token() {
        Token t = token;
        long now = clock.millis();
        if (t != null && now < t.expiresAt()) {
            if (now >= t.refreshAt()) refresh();
            return Future.succeededFuture(t.value());
        }
        return refresh().map(Token::value);
    }

    /** Starts a fetch unless one is under way; every caller shares the same one. */
    Future<Token> refresh() {
        Promise<Token> promise = Promise.promise();
        if (!fetching.compareAndSet(null, promise.future())) {
            Future<Token> current = fetching.get();
            return current != null ? current : refresh();
        }
        fetch().onComplete(ar -> {
            if (ar.succeeded()) {
                token = ar.result(); // before the fetch is cleared, so no caller starts a second one
                scheduleRefresh(ar.result());
            }
            fetching.set(null);
            promise.handle(ar);
        });
        return promise.future();
    }

    private void scheduleRefresh(Token t) {
        long wait = t.refreshAt() - clock.millis();
        delay.after(Math.max(1, wait)).onSuccess(v -> {
            if (!closed && token == t) refresh();
        });
    }

    public void close() {
        closed = true;
    }

    /** Entra ID's OAuth2 client-credentials grant with a client secret. */
    static TokenRequest clientCredentials(OAuthConfig config) {
        return new TokenRequest() {
            @Override
            public Future<Prepared> prepare() {
                Buffer form = Buffer.buffer("grant_type=client_credentials&client_id=" + encode(config.clientId())
                        + "&client_secret=" + encode(config.clientSecret().value()) + "&scope=" + encode(config.scope()));
                return Future.succeededFuture(new Prepared(post(config.tokenUrl().toString()), form));
            }

            @Override
            public String endpoint() {
                return config.tokenUrl().getHost();
            }
        };
    }

    /** A form POST to Entra's token endpoint. */
    static RequestOptions post(String url) {
        return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .putHeader("accept", "application/json")
                .setIdleTimeout(10_000);
    }

    private Future<Token> fetch() {
        long asked = clock.millis();
        // The body handler is set inside send's callback, on the event loop, before the body can arrive;
        // chained one level up from another thread it may be set too late and find the body gone.
        return request.prepare().compose(p -> client.request(p.options())
                .compose(r -> r.send(p.body()).compose(response -> response.body().compose(body ->
                        response.statusCode() == 200
                                ? Future.succeededFuture(parse(body, asked))
                                : Future.failedFuture(failure("answered " + response.statusCode()))))));
    }

    private Token parse(Buffer body, long asked) {
        try {
            JsonNode json = Json.MAPPER.readTree(body.getBytes());
            String access = json.path("access_token").asText("");
            long lifetime = lifetime(json, asked);
            if (access.isEmpty() || lifetime <= 0) throw failure("sent no access_token/expires_in");
            long early = Math.min(refreshBefore.toMillis(), lifetime / 2);
            return new Token(access, asked + lifetime, asked + lifetime - early);
        } catch (IOException e) {
            throw failure("sent a body that is not JSON");
        }
    }

    /**
     * Milliseconds the token lives. Entra and the metadata endpoint send {@code expires_in} (the
     * metadata endpoint as a string); the App Service identity endpoint (api-version 2019-08-01) sends
     * only {@code expires_on}, in epoch seconds.
     */
    private static long lifetime(JsonNode json, long asked) {
        long in = json.path("expires_in").asLong(0);
        if (in > 0) return in * 1000;
        long on = json.path("expires_on").asLong(0);
        return on > 0 ? on * 1000 - asked : 0;
    }

    private SpillwayException failure(String what) {
        return new SpillwayException.BadGateway("The token endpoint " + request.endpoint() + " " + what + ".");
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
