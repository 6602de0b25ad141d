package dev.spillway.gateway.route.identity;

import dev.spillway.gateway.config.BackendConfig;
import dev.spillway.gateway.config.ManagedIdentityConfig;
import dev.spillway.gateway.route.Delay;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs requests to backends with each backend's own credential: an {@code api-key}, a static bearer
 * secret (read on each call, so a rotated secret applies at once), an OAuth2 token from its
 * {@link TokenSource} or a token of the gateway's {@link ManagedIdentity}. Built at start, closed at stop; thread-safe.
 */
public final class Identities {
    private final Map<String, TokenSource> tokens = new HashMap<>();
    private final HttpClient tokenClient;
    private final Optional<TokenSource> managed;

    public Identities(Vertx vertx, List<BackendConfig> backends, Clock clock, Delay delay) {
        this(vertx, backends, Optional.empty(), clock, delay);
    }

    /** With the gateway's managed identity, whose one Azure OpenAI token serves every backend that uses it. */
    public Identities(Vertx vertx, List<BackendConfig> backends, Optional<ManagedIdentityConfig> identity, Clock clock,
            Delay delay) {
        this.tokenClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true));
        for (BackendConfig b : backends) {
            b.oauth().ifPresent(o -> tokens.put(b.name(), new TokenSource(o, tokenClient, clock, delay)));
        }
        this.managed = identity.map(c -> new TokenSource(new ManagedIdentity(c, vertx).request(
                ManagedIdentity.COGNITIVE_SERVICES), c.refreshBefore(), tokenClient, clock, delay));
    }

    /** Sets the backend's credential header on {@code headers}; completes once it is set. */
    public Future<Void> sign(BackendConfig b, MultiMap headers) {
        switch (b.auth()) {
            case API_KEY -> headers.set("api-key", b.secret().orElseThrow().value());
            case BEARER -> headers.set("authorization", "Bearer " + b.secret().orElseThrow().value());
            case OAUTH2 -> {
                return bearer(tokens.get(b.name()), headers);
            }
            case MANAGED_IDENTITY -> {
                return bearer(managed.orElseThrow(), headers);
            }
            case NONE -> {
                // the backend needs no credential
            }
        }
        return Future.succeededFuture();
    }

    private static Future<Void> bearer(TokenSource source, MultiMap headers) {
        return source.token().map(t -> {
            headers.set("authorization", "Bearer " + t);
            return null;
        });
    }

    public Future<Void> close() {
        tokens.values().forEach(TokenSource::close);
        managed.ifPresent(TokenSource::close);
        return tokenClient.close();
    }
}
