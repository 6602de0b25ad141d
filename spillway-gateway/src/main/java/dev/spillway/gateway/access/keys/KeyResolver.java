package dev.spillway.gateway.access.keys;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Finds the app key behind a presented secret without blocking the caller: lookups run on the
 * given executor and are cached (found and not found alike) for a short TTL, 1 s by default, which
 * is how a revocation reaches every replica within a second without any messaging. Expiry is
 * checked on every call against the clock. Thread-safe; one per gateway.
 */
public final class KeyResolver {
    private final AsyncLoadingCache<String, Optional<AppKey>> cache;
    private final Clock clock;

    public KeyResolver(KeyStore store, Executor blocking, Duration ttl, Ticker ticker, Clock clock) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(100_000)
                .ticker(ticker)
                .executor(blocking)
                .buildAsync(store::findByHash);
    }

    /** The active key for {@code secret}, or empty if it is unknown, revoked or expired. */
    public CompletionStage<Optional<AppKey>> resolve(String secret) {
        if (!ApiKeySecrets.looksLikeKey(secret)) return CompletableFuture.completedFuture(Optional.empty());
        return cache.get(ApiKeySecrets.hash(secret)).thenApply(k -> k.filter(key -> key.activeAt(clock.instant())));
    }
}
