package dev.spillway.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.spillway.core.config.DataSize;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The in-memory response cache of one gateway: Caffeine bounded by the bytes of its answers
 * ({@code max-size}, least-recently/frequently used out first), each entry expiring after the
 * TTL it was stored with. Time comes from the injected {@link Ticker}. Thread-safe; every call
 * completes at once.
 */
public final class CaffeineResponseCache implements ResponseCache {
    private record Entry(CachedAnswer answer, long ttlNanos) {
    }

    private final Cache<CacheKey, Entry> entries;

    public CaffeineResponseCache(DataSize maxSize, Ticker ticker) {
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxSize.bytes())
                .weigher((CacheKey k, Entry e) -> e.answer().weight() + k.request().length() + k.partition().id().length())
                .expireAfter(Expiry.<CacheKey, Entry>writing((k, e) -> Duration.ofNanos(e.ttlNanos())))
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public CompletionStage<Optional<CachedAnswer>> get(CacheKey key) {
        Entry e = entries.getIfPresent(key);
        return CompletableFuture.completedFuture(e == null ? Optional.empty() : Optional.of(e.answer()));
    }

    @Override
    public CompletionStage<Void> put(CacheKey key, CachedAnswer answer, Duration ttl) {
        entries.put(key, new Entry(answer, ttl.toNanos()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Long> purge(CachePurge scope) {
        long[] removed = {0};
        entries.asMap().keySet().removeIf(k -> scope.covers(k.partition()) && ++removed[0] > 0);
        return CompletableFuture.completedFuture(removed[0]);
    }

    /** Runs Caffeine's pending maintenance (evictions), so a test sees the bound at once. */
    void cleanUp() {
        entries.cleanUp();
    }

    @Override
    public void close() {
        entries.invalidateAll();
    }
}
