package dev.spillway.gateway.auth;

import dev.spillway.core.error.SpillwayException;
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

/**
 * Request tier: establishes the caller from the {@code api-key} header or {@code Authorization:
 * Bearer} (both accepted, as Azure does), against the keys listed in config. Keys are compared in
 * constant time and read from their secrets on each request, so a rotated secret applies at once.
 * Shared; thread-safe.
 */
public final class AuthenticatePolicy implements Policy {
    private final List<StaticKey> keys;

    public AuthenticatePolicy(List<StaticKey> keys) {
        this.keys = List.copyOf(keys);
    }

    @Override
    public Future<Reply> apply(Exchange exchange, Chain chain) {
        String presented = credential(exchange).orElseThrow(() -> new SpillwayException.Unauthenticated(
                "Missing credential: send your Spillway key in the 'api-key' header or as 'Authorization: Bearer <key>'."));
        StaticKey key = find(presented).orElseThrow(() -> new SpillwayException.Unauthenticated(
                SpillwayException.Unauthenticated.AZURE_MESSAGE));
        exchange.caller(new Caller(key.name(), key.app(), key.team(), "", prefix(presented)));
        return chain.proceed(exchange);
    }

    static Optional<String> credential(Exchange exchange) {
        String apiKey = exchange.headers().get("api-key");
        if (apiKey != null && !apiKey.isBlank()) return Optional.of(apiKey.trim());
        String auth = exchange.headers().get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.of(auth.substring(7).trim());
        return Optional.empty();
    }

    private Optional<StaticKey> find(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        for (StaticKey k : keys) {
            if (MessageDigest.isEqual(given, k.key().value().getBytes(StandardCharsets.UTF_8))) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** The first characters of a key, safe to show in logs and reports. */
    static String prefix(String key) {
        return key.length() <= 10 ? "" : key.substring(0, 10);
    }
}
