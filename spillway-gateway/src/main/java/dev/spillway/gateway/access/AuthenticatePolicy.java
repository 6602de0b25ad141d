package dev.spillway.gateway.access;

import dev.spillway.core.error.SpillwayException;
import dev.spillway.gateway.access.jwt.JwtPrincipal;
import dev.spillway.gateway.access.jwt.JwtRejected;
import dev.spillway.gateway.access.jwt.JwtVerifier;
import dev.spillway.gateway.access.keys.ApiKeySecrets;
import dev.spillway.gateway.access.keys.AppKey;
import dev.spillway.gateway.access.keys.KeyLimits;
import dev.spillway.gateway.access.keys.KeyResolver;
import dev.spillway.gateway.config.StaticKey;
import dev.spillway.gateway.pipeline.Caller;
import dev.spillway.gateway.pipeline.Chain;
import dev.spillway.gateway.pipeline.Exchange;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.Reply;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Request tier: establishes the caller from the {@code api-key} header or {@code Authorization:
 * Bearer}. A static key from config is compared in constant time; otherwise an {@code sk-spw-} key
 * is looked up by hash in the key store, and anything else is verified as a JWT. Unknown, revoked and expired keys
 * get the same 401. The caller header ({@code caller-objectid}) is removed from every request and
 * set only for JWT callers, so a client cannot forge it. Shared; thread-safe.
 */
public final class AuthenticatePolicy implements Policy {
    private final List<StaticKey> staticKeys;
    private final KeyResolver keys;
    private final Optional<JwtVerifier> jwt;
    private final String callerHeader;

    public AuthenticatePolicy(List<StaticKey> staticKeys, KeyResolver keys, Optional<JwtVerifier> jwt,
            String callerHeader) {
        this.staticKeys = List.copyOf(staticKeys);
        this.keys = keys;
        this.jwt = jwt;
        this.callerHeader = callerHeader;
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        exchange.headers().remove(callerHeader);
        String presented = credential(exchange).orElseThrow(() -> new SpillwayException.Unauthenticated(
                "Missing credential: send your Spillway key in the 'api-key' header or as 'Authorization: Bearer <key>'."));
        Future<Caller> caller;
        Optional<StaticKey> fixed = staticKey(presented);
        if (fixed.isPresent()) {
            StaticKey k = fixed.get();
            caller = Future.succeededFuture(new Caller(k.name(), k.app(), k.team(), "", prefix(presented)));
        } else if (presented.startsWith(ApiKeySecrets.PREFIX)) {
            caller = Async.onContext(keys.resolve(presented)).map(k -> k.map(AuthenticatePolicy::fromKey)
                    .orElseThrow(AuthenticatePolicy::invalid));
        } else if (jwt.isPresent() && presented.indexOf('.') > 0) {
            caller = Async.onContext(jwt.get().verify(presented)).map(p -> fromJwt(exchange, p))
                    .recover(e -> Future.failedFuture(e instanceof JwtRejected r
                            ? new SpillwayException.Unauthenticated("Invalid bearer token: " + r.getMessage() + ".")
                            : e));
        } else {
            throw invalid();
        }
        return caller.compose(c -> {
            exchange.caller(c);
            return chain.proceed(exchange);
        });
    }

    private static SpillwayException invalid() {
        return new SpillwayException.Unauthenticated(SpillwayException.Unauthenticated.AZURE_MESSAGE);
    }

    static Caller fromKey(AppKey k) {
        Grants grants = new Grants(Optional.of(k.id()), k.limits(), k.deployments(), Set.of(), false);
        return new Caller(k.name(), k.app(), k.team().orElse(""), k.owner().orElse(""), k.displayPrefix(), grants);
    }

    private Caller fromJwt(Exchange exchange, JwtPrincipal p) {
        exchange.headers().set(callerHeader, p.user());
        Grants grants = new Grants(Optional.empty(), KeyLimits.NONE, Set.of(), p.roles(), true);
        return new Caller("jwt:" + p.issuer(), p.app(), p.team().orElse(""), p.user(), "", grants);
    }

    static Optional<String> credential(Exchange exchange) {
        String apiKey = exchange.headers().get("api-key");
        if (apiKey != null && !apiKey.isBlank()) return Optional.of(apiKey.trim());
        String auth = exchange.headers().get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.of(auth.substring(7).trim());
        return Optional.empty();
    }

    private Optional<StaticKey> staticKey(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        for (StaticKey k : staticKeys) {
            if (MessageDigest.isEqual(given, k.key().value().getBytes(StandardCharsets.UTF_8))) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** The first characters of a static key, safe to show in logs and reports. */
    static String prefix(String key) {
        return key.length() <= 10 ? "" : key.substring(0, 10);
    }
}
